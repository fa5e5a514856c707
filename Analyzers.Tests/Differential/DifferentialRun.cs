using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using CowGuard.Analyzers.Rules;
using CowGuard.VmModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>A run-time page reference without Write or BreakCow that no diagnostic and no justification accounts for.</summary>
public sealed record Counterexample(int Program, RecordedCall Call, int Input, string Source)
{
    public override string ToString() =>
        $"program {Program}, input 0x{Input:x}: site {Call.Site} took a reference with {Call.Flags} through sites [{string.Join(", ", Call.Through)}] and nothing reported it\n{Source}";
}

/// <summary>What a batch of programs showed: sizes for the report, and every counterexample.</summary>
public sealed class DifferentialResult
{
    public int Programs { get; set; }

    public int StaticSites { get; set; }

    public int Calls { get; set; }

    public int UnsafeCalls { get; set; }

    public int UnsafeReported { get; set; }

    public int UnsafeJustified { get; set; }

    public int Refused { get; set; }

    /// <summary>Time spent compiling (parse, bind, emit, load), analysing and running, summed over batches.</summary>
    public TimeSpan CompileTime { get; set; }

    public TimeSpan AnalyzeTime { get; set; }

    public TimeSpan RunTime { get; set; }

    public int DiagnosedSites { get; set; }

    public int DiagnosedSitesSeenUnsafe { get; set; }

    public Dictionary<string, int> Diagnostics { get; } = [];

    public Dictionary<string, int> Shapes { get; } = [];

    public List<Counterexample> Counterexamples { get; } = [];

    public void Add(DifferentialResult other)
    {
        Programs += other.Programs;
        StaticSites += other.StaticSites;
        Calls += other.Calls;
        UnsafeCalls += other.UnsafeCalls;
        UnsafeReported += other.UnsafeReported;
        UnsafeJustified += other.UnsafeJustified;
        Refused += other.Refused;
        CompileTime += other.CompileTime;
        AnalyzeTime += other.AnalyzeTime;
        RunTime += other.RunTime;
        DiagnosedSites += other.DiagnosedSites;
        DiagnosedSitesSeenUnsafe += other.DiagnosedSitesSeenUnsafe;
        foreach (var (key, value) in other.Diagnostics)
        {
            Diagnostics[key] = Diagnostics.GetValueOrDefault(key) + value;
        }

        foreach (var (key, value) in other.Shapes)
        {
            Shapes[key] = Shapes.GetValueOrDefault(key) + value;
        }

        Counterexamples.AddRange(other.Counterexamples);
    }
}

/// <summary>
/// The static/dynamic differential: compiles a batch of generated programs with Roslyn (one syntax tree each), runs
/// CG0001, CG0004 and CG0005 on them, emits the assembly, loads it into a collectible load context and runs every
/// program against a real VmModel machine under several inputs, with <see cref="Recorder"/> noting the flags of every
/// page reference actually taken. Oracle: a reference taken with neither Write nor BreakCow must be accounted for by a
/// diagnostic, or a [WrongSideCowOk], at its own call site or at a site (or delegate conversion, or class) of a
/// forwarding function it went through — the [GupFlags] contract promises exactly that the outermost caller is checked.
/// </summary>
public static class DifferentialRun
{
    /// <summary>Input words each program runs with: every condition false, every condition true, two mixes.</summary>
    private static readonly int[] Inputs = [0, -1, 0x5A5A_5A5A, unchecked((int)0xC3A5_3C96)];

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new CG0001PageReferenceWithoutBreakCowAnalyzer(),
        new CG0004FlagsNotProvableAnalyzer(),
        new CG0005PageReferenceApiAsDelegateAnalyzer());

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>What the generated programs use (System.Runtime for Action and the exceptions, VmModel, this assembly
    /// for the recorder): binding against the whole framework would cost most of the analysis time.</summary>
    private static readonly IReadOnlyList<MetadataReference> References =
    [
        Basic.Reference.Assemblies.Net100.References.SystemRuntime,
        MetadataReference.CreateFromFile(typeof(FollFlags).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Recorder).Assembly.Location),
    ];

    public static DifferentialResult Check(IReadOnlyList<ProgramSpec> programs, int firstIndex = 0)
    {
        var clock = Stopwatch.StartNew();
        var rendered = programs.Select((program, i) => ProgramRenderer.Render(program, firstIndex + i)).ToList();
        var trees = rendered.Select((program, i) => CSharpSyntaxTree.ParseText(program.Source, ParseOptions, path: $"P{firstIndex + i}.cs")).ToList();
        var compilation = CSharpCompilation.Create(
            $"Differential{firstIndex}_{Guid.NewGuid():N}",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false, optimizationLevel: OptimizationLevel.Release));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var tree = errors[0].Location.SourceTree;
            throw new InvalidOperationException($"generated program does not compile: {errors[0]}\n{tree}");
        }

        var compiled = clock.Elapsed;
        var diagnostics = compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var result = new DifferentialResult { Programs = programs.Count, AnalyzeTime = clock.Elapsed - compiled };
        clock.Restart();
        var reportedByTree = trees.ToDictionary(t => t, _ => new HashSet<string>());
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Id == "AD0001")
            {
                throw new InvalidOperationException($"analyzer exception: {diagnostic}");
            }

            result.Diagnostics[diagnostic.Id] = result.Diagnostics.GetValueOrDefault(diagnostic.Id) + 1;
            var tree = diagnostic.Location.SourceTree!;
            var key = SiteKey(tree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true))
                ?? throw new InvalidOperationException($"diagnostic at no call site, conversion or class: {diagnostic}\n{tree}");
            reportedByTree[tree].Add(key);
        }

        using var assembly = new MemoryStream();
        var emitted = compilation.Emit(assembly);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("emit failed: " + string.Join("\n", emitted.Diagnostics));
        }

        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        try
        {
            assembly.Position = 0;
            var loaded = context.LoadFromStream(assembly);
            result.CompileTime = compiled + clock.Elapsed;
            clock.Restart();
            for (var i = 0; i < rendered.Count; i++)
            {
                Execute(loaded, firstIndex + i, rendered[i], reportedByTree[trees[i]], result);
            }
        }
        finally
        {
            context.Unload();
        }

        result.RunTime = clock.Elapsed;
        return result;
    }

    private static void Execute(Assembly assembly, int index, RenderedProgram program, HashSet<string> reported, DifferentialResult result)
    {
        result.StaticSites += program.Sites.Count;
        foreach (var (shape, count) in program.Shapes)
        {
            result.Shapes[shape] = result.Shapes.GetValueOrDefault(shape) + count;
        }

        var diagnosedSites = program.Sites.Keys.Where(site => reported.Contains($"site:{site}")).ToHashSet();
        result.DiagnosedSites += diagnosedSites.Count;
        var seenUnsafe = new HashSet<int>();
        var run = assembly.GetType($"P{index}.Program", throwOnError: true)!.GetMethod("Run")!;
        var machine = new Machine(Era.AnonExclusive);
        var process = machine.CreateProcess("differential");
        var address = process.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.WriteByte(address, 1);
        foreach (var input in Inputs)
        {
            Recorder.Begin(process, address, input);
            try
            {
                run.Invoke(null, null);
            }
            catch (TargetInvocationException exception)
            {
                throw new InvalidOperationException($"generated program {index} threw under input 0x{input:x}\n{program.Source}", exception.InnerException);
            }
            finally
            {
                var (calls, refused) = Recorder.End();
                result.Refused += refused;
                foreach (var call in calls)
                {
                    Judge(call, index, input, program, reported, result, seenUnsafe);
                }
            }
        }

        result.DiagnosedSitesSeenUnsafe += diagnosedSites.Count(seenUnsafe.Contains);
    }

    private static void Judge(RecordedCall call, int index, int input, RenderedProgram program, HashSet<string> reported, DifferentialResult result, HashSet<int> seenUnsafe)
    {
        result.Calls++;
        if ((call.Flags & (FollFlags.Write | FollFlags.BreakCow)) != 0)
        {
            return;
        }

        result.UnsafeCalls++;
        var chain = call.Through.Append(call.Site).ToList();
        chain.ForEach(site => seenUnsafe.Add(site));
        var keys = chain.SelectMany(site => new[] { $"site:{site}", program.Sites[site].Via }).OfType<string>().ToList();
        if (keys.Any(reported.Contains))
        {
            result.UnsafeReported++;
        }
        else if (chain.Any(site => program.Sites[site].Justified) || keys.Any(program.JustifiedConversions.Contains))
        {
            result.UnsafeJustified++;
        }
        else
        {
            result.Counterexamples.Add(new Counterexample(index, call, input, program.Source));
        }
    }

    /// <summary>The call site, delegate conversion or class a diagnostic belongs to: the nearest call with a
    /// <c>site:</c> argument, declarator of a <c>conv</c> delegate, or class <c>C&lt;N&gt;</c> around it.</summary>
    private static string? SiteKey(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case InvocationExpressionSyntax invocation when invocation.ArgumentList.Arguments.FirstOrDefault() is { NameColon.Name.Identifier.Text: "site", Expression: LiteralExpressionSyntax literal }:
                    return $"site:{literal.Token.Value}";
                case VariableDeclaratorSyntax declarator when declarator.Identifier.Text.StartsWith("conv", StringComparison.Ordinal):
                    return $"conv:{declarator.Identifier.Text[4..]}";
                case ClassDeclarationSyntax type when type.Identifier.Text.StartsWith('C'):
                    return $"type:{type.Identifier.Text[1..]}";
            }
        }

        return null;
    }

    /// <summary>Generates and checks <paramref name="count"/> programs from fixed seeds (PCG stream 14, seed
    /// <paramref name="baseSeed"/> + index), <paramref name="batch"/> per compilation, two batches at a time.</summary>
    public static (DifferentialResult Result, TimeSpan Elapsed) CheckSeeds(ulong baseSeed, int count, int batch)
    {
        var clock = Stopwatch.StartNew();
        var total = new DifferentialResult();
        var gate = new object();
        Parallel.For(0, (count + batch - 1) / batch, new ParallelOptions { MaxDegreeOfParallelism = 2 }, b =>
        {
            var first = b * batch;
            var programs = Enumerable.Range(first, Math.Min(batch, count - first)).Select(i => Generate(baseSeed, i)).ToList();
            var result = Check(programs, first);
            lock (gate)
            {
                total.Add(result);
            }
        });
        return (total, clock.Elapsed);
    }

    /// <summary>The program of one seed (what <see cref="CheckSeeds"/> checks as program <paramref name="index"/>).</summary>
    public static ProgramSpec Generate(ulong baseSeed, int index) =>
        ProgramGenerator.Program.Generate(new CsCheck.PCG(14, baseSeed + (ulong)index), null, out _);
}
