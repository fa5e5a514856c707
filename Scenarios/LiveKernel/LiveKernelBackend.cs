using System.Diagnostics;
using System.Globalization;
using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Runs scenario instances on the live kernel: translate to C, compile (cached), run with a timeout while the
/// machine's THP/hugetlb knobs are snapshotted and restored, and read the PASS/FAIL lines back.
/// Entry point for <c>run FILE --kernel</c> and <c>matrix --kernel</c>: <see cref="RunAll"/>, compared with the model by
/// <see cref="LiveComparison"/>.
/// </summary>
internal sealed class LiveKernelBackend(KernelFacts facts, TimeSpan timeout)
{
    /// <summary>Programs change machine-wide knobs, so only one runs at a time in this process (and, by <see cref="MachineLock"/>, on the machine).</summary>
    private static readonly Lock RunLock = new();

    public KernelFacts Facts { get; } = facts;

    public static LiveKernelBackend ForThisMachine() => new(KernelFacts.Detect(), TimeSpan.FromSeconds(60));

    /// <summary>
    /// Runs many instances. The translatable instances of each scenario file share one program, compiled once
    /// (files in parallel); the programs then run one after another.
    /// </summary>
    public IReadOnlyList<LiveKernelResult> RunAll(IReadOnlyList<ScenarioInstance> instances)
    {
        var results = new LiveKernelResult?[instances.Count];
        var pending = new List<(int Index, CProgram Program, string Binary)>();
        var groups = Enumerable.Range(0, instances.Count).GroupBy(i => instances[i].File).ToList();
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, group =>
        {
            var programs = new List<(int Index, CProgram Program)>();
            foreach (var i in group)
            {
                var (program, early) = Prepare(instances[i], $"i{i}");
                results[i] = early;
                if (program is not null)
                {
                    programs.Add((i, program));
                }
            }

            if (programs.Count == 0)
            {
                return;
            }

            try
            {
                var binary = new GccCompiler(Facts.Compiler!).Compile(CProgramBatch.Compose(programs.Select(p => p.Program).ToList()));
                lock (pending)
                {
                    pending.AddRange(programs.Select(p => (p.Index, p.Program, binary)));
                }
            }
            catch (Exception e) when (e is LiveKernelException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                programs.ForEach(p => results[p.Index] = LiveKernelResult.Fault(instances[p.Index], e.Message));
            }
        });

        foreach (var (index, program, binary) in pending.OrderBy(p => p.Index))
        {
            results[index] = Execute(instances[index], program, binary);
        }

        return results.Select(r => r!).ToList();
    }

    public LiveKernelResult Run(ScenarioInstance instance) => RunAll([instance])[0];

    /// <summary>Translates and checks preconditions; either a program to run or the result already known (skip).</summary>
    private (CProgram? Program, LiveKernelResult? Early) Prepare(ScenarioInstance instance, string name)
    {
        if (Facts.Unusable is { } unusable)
        {
            return (null, LiveKernelResult.Skip(instance, unusable));
        }

        CProgram program;
        try
        {
            program = CProgramTranslator.Translate(instance, name, Facts);
        }
        catch (UntranslatableException e)
        {
            return (null, LiveKernelResult.Skip(instance, e.Reason, e.Location));
        }

        return program.Needs.Select(Facts.Missing).FirstOrDefault(m => m is not null) is { } missing
            ? (null, LiveKernelResult.Skip(instance, missing))
            : (program, null);
    }

    private LiveKernelResult Execute(ScenarioInstance instance, CProgram program, string binary)
    {
        (int ExitCode, List<string> Lines) output;
        try
        {
            lock (RunLock)
            {
                using var machine = MachineLock.Acquire(timeout * 5);
                using var knobs = MachineKnobs.Snapshot();
                output = RunProgram(binary, program.Name);
            }
        }
        catch (Exception e) when (e is LiveKernelException or IOException or System.ComponentModel.Win32Exception)
        {
            return LiveKernelResult.Fault(instance, e.Message);
        }

        return LiveOutput.Parse(instance, program, output.ExitCode, output.Lines);
    }

    private (int ExitCode, List<string> Lines) RunProgram(string binary, string instanceName)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(instanceName);
        using var process = Process.Start(start) ?? throw new LiveKernelException($"cannot start {binary}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new LiveKernelException($"the program did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed ({binary})");
        }

        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (stderr.Result.Trim() is { Length: > 0 } errors)
        {
            lines.Add("CG STDERR " + errors.ReplaceLineEndings(" "));
        }

        return (process.ExitCode, lines);
    }
}
