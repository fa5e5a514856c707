using System.Text.RegularExpressions;
using CliWrap;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>Where one compile's CPU time went, from stack samples.</summary>
/// <param name="Samples">All samples of the compiler process (all threads).</param>
/// <param name="CowGuardSamples">Samples with at least one frame of CowGuard's code on the stack.</param>
/// <param name="ByEntryPoint">CowGuard's samples by the outermost CowGuard type on the stack (the rule whose callback
/// the driver called, or CowGuardAnalyzer for the compilation-start gate).</param>
/// <param name="ByInnermostMethod">CowGuard's samples by the innermost CowGuard method: the code that did the work or
/// called into Roslyn for it.</param>
internal sealed record PerfProfile(
    int Samples,
    int CowGuardSamples,
    int Frequency,
    IReadOnlyDictionary<string, int> ByEntryPoint,
    IReadOnlyDictionary<string, int> ByInnermostMethod)
{
    public double CowGuardPercent => 100.0 * CowGuardSamples / Samples;

    /// <summary>Each sample stands for 1/frequency seconds of CPU on its thread.</summary>
    public double Seconds(int samples) => (double)samples / Frequency;
}

/// <summary>
/// Samples one compile with `perf record -e cpu-clock -g`: a software clock, so it works in VMs without hardware
/// counters, and it only ticks while a thread of the compiler runs, so other processes' load does not inflate it the
/// way it inflates wall-clock callback times. The runtime writes a perf map of JIT-compiled code
/// (DOTNET_PerfMapEnabled=1; W^X double mapping off so perf attributes those frames), which is how CowGuard's JIT-compiled
/// frames get names. The package's ReadyToRun copy of the analyzers (readytorun/linux-x64) runs from the file itself,
/// which perf names only by that file and an offset: such a frame counts for CowGuard, named through the method map
/// crossgen2 wrote beside the image (<see cref="ReadyToRunMethodNames"/>) or, without one, as
/// <see cref="ReadyToRunCode"/>. A sample counts for CowGuard when any frame of its stack is CowGuard's: its callbacks
/// and everything they call, Roslyn work they trigger included (lazy symbol binding, the driver's handling of a
/// reported diagnostic). Not counted: what CowGuard causes on other threads (callback dispatch by the driver, the
/// server GC's threads, the tiering JIT's background thread).
/// </summary>
internal static partial class PerfSampling
{
    /// <summary>The entry point and innermost method of samples in precompiled CowGuard code, which perf cannot name.</summary>
    public const string ReadyToRunCode = "(ReadyToRun code)";

    private const int Frequency = 499;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(60);

    public static bool IsAvailable()
    {
        try
        {
            ProcessRunner.Run("perf", ["--version"], TimeSpan.FromSeconds(30));
            return true;
        }
        catch (ExternalCommandException)
        {
            return false;
        }
    }

    /// <param name="exitCodes">The profiled command's exit codes that count as a finished run (perf record exits with
    /// its command's code).</param>
    /// <param name="readyToRunNames">The method names of the CowGuard ReadyToRun image being measured, if it has
    /// them; its frames are otherwise all <see cref="ReadyToRunCode"/>.</param>
    public static PerfProfile Profile(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        string dataPath,
        IReadOnlyCollection<int> exitCodes,
        ReadyToRunMethodNames? readyToRunNames = null)
    {
        // The compiler's own output (warnings, /reportanalyzer) is not needed here: CliWrap drains it to nowhere.
        var record = Cli.Wrap("perf")
            .WithArguments(["record", "-e", "cpu-clock", "-F", Frequency.ToString(System.Globalization.CultureInfo.InvariantCulture), "-g", "-o", dataPath, "--", fileName, .. arguments])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment => environment.Set("DOTNET_PerfMapEnabled", "1").Set("DOTNET_EnableWriteXorExecute", "0"));
        var recorded = ProcessRunner.Execute(record, Limit);
        if (!exitCodes.Contains(recorded.ExitCode))
        {
            throw new ExternalCommandException($"perf record of the compile failed (exit code {recorded.ExitCode})");
        }

        var (profile, processIds) = Read(dataPath, readyToRunNames);

        // The profiled runtime leaves its perf map (several MB) in /tmp, named after its own process id (not perf's);
        // it is only needed by `perf script`.
        foreach (var processId in processIds)
        {
            File.Delete(Path.Combine(Path.GetTempPath(), $"perf-{processId}.map"));
            File.Delete(Path.Combine(Path.GetTempPath(), $"perfinfo-{processId}.map"));
        }

        return profile;
    }

    /// <summary>Streams `perf script` (one header line per sample, "comm pid/tid", then one tab-indented line per frame,
    /// leaf first, then a blank line) and classifies each sample; also returns the sampled process ids.</summary>
    private static (PerfProfile Profile, IReadOnlySet<int> ProcessIds) Read(string dataPath, ReadyToRunMethodNames? readyToRunNames)
    {
        var samples = 0;
        var cowGuard = 0;
        var byEntry = new Dictionary<string, int>(StringComparer.Ordinal);
        var byInnermost = new Dictionary<string, int>(StringComparer.Ordinal);
        var processIds = new HashSet<int>();
        string? innermost = null;
        string? outermost = null;
        var inSample = false;
        void Finish()
        {
            if (!inSample)
            {
                return;
            }

            samples++;
            if (outermost is not null)
            {
                cowGuard++;
                byEntry[outermost] = byEntry.GetValueOrDefault(outermost) + 1;
                byInnermost[innermost!] = byInnermost.GetValueOrDefault(innermost!) + 1;
            }

            inSample = false;
            innermost = outermost = null;
        }

        void Line(string line)
        {
            if (line.Length == 0)
            {
                Finish();
            }
            else if (line[0] != '\t')
            {
                Finish();
                inSample = true;
                if (SampleHeader().Match(line) is { Success: true } header)
                {
                    processIds.Add(int.Parse(header.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else if (CowGuardFrameOf(line, readyToRunNames) is { } frame)
            {
                innermost ??= frame.Method;
                outermost = frame.Type;
            }
        }

        // The script's output (large for a big compile) is classified line by line as it streams.
        var script = ProcessRunner.Execute(
            Cli.Wrap("perf").WithArguments(["script", "-i", dataPath, "-F", "comm,pid,tid,ip,sym,dso"]).WithStandardOutputPipe(PipeTarget.ToDelegate(Line)),
            Limit);
        Finish();
        if (script.ExitCode != 0 || samples == 0)
        {
            throw new ExternalCommandException($"perf script read no samples from {dataPath} (exit code {script.ExitCode})");
        }

        return (new PerfProfile(samples, cowGuard, Frequency, byEntry, byInnermost), processIds);
    }

    /// <summary>The CowGuard type and "Type.Method" of one frame line of `perf script`; null for anyone else's frame. A
    /// frame of precompiled code is named through <paramref name="readyToRunNames"/> when given (perf prints its
    /// offset in the image file), else <see cref="ReadyToRunCode"/>.</summary>
    internal static (string Type, string Method)? CowGuardFrameOf(string frameLine, ReadyToRunMethodNames? readyToRunNames = null)
    {
        if (CowGuardFrame().Match(frameLine) is { Success: true } frame)
        {
            return (frame.Groups["type"].Value, frame.Groups["type"].Value + "." + frame.Groups["method"].Value);
        }

        if (ReadyToRunFrame().Match(frameLine) is not { Success: true } precompiled)
        {
            return null;
        }

        var offset = long.Parse(precompiled.Groups["offset"].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return readyToRunNames?.Lookup(offset) ?? (ReadyToRunCode, ReadyToRunCode);
    }

    /// <summary>The "pid/tid" of a sample header (the command name before it may contain spaces).</summary>
    [GeneratedRegex(@"\s(?<pid>\d+)/\d+\s*$")]
    private static partial Regex SampleHeader();

    /// <summary>A perf-map frame of CowGuard's code, e.g. "void [CowGuard.Analyzers] CowGuard.Analyzers.Rules.CG0001…Analyzer+&lt;&gt;c__DisplayClass4_0::&lt;Register&gt;b__0(…)":
    /// the type's simple name (before any nested closure class) and the method name.</summary>
    [GeneratedRegex(@"\[CowGuard\.Analyzers\] (?:[\w]+\.)*(?<type>\w+)(?:\+[^:]+)?::(?<method>[^(]+)\(")]
    private static partial Regex CowGuardFrame();

    /// <summary>A frame perf could only attribute to the mapped file CowGuard.Analyzers.dll, e.g.
    /// "7f05… [unknown] (/…/readytorun/linux-x64/CowGuard.Analyzers.dll)": code of a ReadyToRun image.</summary>
    [GeneratedRegex(@"^\s*(?<offset>[0-9a-f]+) .*\((?:[^()]*/)?CowGuard\.Analyzers\.dll\)\s*$")]
    private static partial Regex ReadyToRunFrame();
}
