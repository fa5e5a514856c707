using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel.Translation;

/// <summary>
/// Every translatable instance of the catalogue, one program per scenario file as the backend builds it, is valid C
/// for gcc with every warning an error (<c>gcc -fsyntax-only -Wall -Werror</c>). Skipped with the reason where there is
/// no gcc; the golden tests pin the text without one.
/// </summary>
public sealed class CProgramSyntaxTests
{
    /// <summary>The catalogue files with at least one instance a live kernel can run (the others skip with their reason).</summary>
    public static TheoryData<string> Files() => new(BuiltInCatalogue.ScenarioFiles().Where(f => Programs(f).Count > 0).Select(BuiltInCatalogue.RelativeName));

    public static TheoryData<string> GoldenFiles() => new(Directory.EnumerateFiles(GoldenDirectory(), "*.c").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Catalogue_file_translates_to_C_that_gcc_accepts(string file)
    {
        var gcc = Gcc();
        var programs = Programs(Path.Combine(BuiltInCatalogue.Root, file));

        Assert.Equal(string.Empty, new GccCompiler(gcc).SyntaxErrors(CProgramBatch.Compose(programs)));
    }

    [SkippableTheory]
    [MemberData(nameof(GoldenFiles))]
    public void Golden_program_is_C_that_gcc_accepts(string file)
    {
        var gcc = Gcc();

        Assert.Equal(string.Empty, new GccCompiler(gcc).SyntaxErrors(File.ReadAllText(Path.Combine(GoldenDirectory(), file))));
    }

    /// <summary>The check can fail: an undeclared function and a warning (-Werror) in an otherwise golden program are both reported.</summary>
    [SkippableTheory]
    [InlineData("cg_check(", "cg_chekc(", "cg_chekc")]
    [InlineData("cg_finish();", "int unused; cg_finish();", "unused")]
    public void Gcc_reports_a_broken_program(string original, string broken, string reported)
    {
        var gcc = Gcc();
        var source = File.ReadAllText(Path.Combine(GoldenDirectory(), "b09-pfn.c"));
        Assert.Contains(original, source, StringComparison.Ordinal);

        Assert.Contains(reported, new GccCompiler(gcc).SyntaxErrors(source.Replace(original, broken, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static string Gcc()
    {
        var gcc = KernelFacts.Detect().Compiler;
        Skip.If(gcc is null, "no C compiler (gcc) on PATH");
        return gcc;
    }

    private static List<CProgram> Programs(string file)
    {
        var instances = ScenarioLoader.LoadFile(file);
        var programs = new List<CProgram>();
        for (var i = 0; i < instances.Count; i++)
        {
            try
            {
                programs.Add(CTranslator.Translate(instances[i], $"i{i}", TargetKernels.Full));
            }
            catch (UntranslatableException)
            {
                // Skipped on a live kernel with its reason; nothing to compile.
            }
        }

        return programs;
    }

    private static string GoldenDirectory([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");
}
