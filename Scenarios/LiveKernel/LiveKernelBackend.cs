using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Processes;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Runs scenario instances on this machine's kernel: translate to C (<see cref="LivePrograms"/>, which does not
/// care where programs run), compile with gcc (cached), run each with a timeout while the machine's THP/hugetlb/KSM
/// knobs are snapshotted and restored, and read the CHECK lines back. Entry point for <c>run FILE --kernel</c> and
/// <c>matrix --kernel</c>: <see cref="RunAll"/>, compared with the model by <see cref="LiveComparison"/>.
/// <paramref name="notice"/> hears what a user should know while it works (waiting for another run's lock).
/// </summary>
internal sealed class LiveKernelBackend(KernelFacts facts, TimeSpan timeout, Action<string>? notice = null) : ILiveBackend
{
    /// <summary>Programs change machine-wide knobs, so only one runs at a time in this process (and, by <see cref="MachineLock"/>, on the machine).</summary>
    private static readonly Lock RunLock = new();

    private int _toldWaiting;

    public KernelFacts Facts { get; } = facts;

    public string Where => "this machine's kernel";

    public static LiveKernelBackend ForThisMachine() => new(KernelFacts.Detect(), TimeSpan.FromSeconds(60));

    /// <summary>The same backend, telling <paramref name="listener"/> what it waits for.</summary>
    public ILiveBackend WithNotices(Action<string> listener) => new LiveKernelBackend(Facts, timeout, listener);

    /// <summary>
    /// Runs many instances. The translatable instances of each scenario file share one program, compiled once
    /// (files in parallel); the programs then run one after another.
    /// </summary>
    public IReadOnlyList<LiveKernelResult> RunAll(IReadOnlyList<ScenarioInstance> instances)
    {
        var results = new LiveKernelResult?[instances.Count];
        var batches = LivePrograms.Prepare(instances, Facts, results);
        var compiled = LivePrograms.CompileEach(batches, instances, results, source => new GccCompiler(Facts.Compiler!).Compile(source));
        foreach (var (index, program, binary) in compiled)
        {
            results[index] = Execute(instances[index], program, binary);
        }

        return results.Select(r => r!).ToList();
    }

    public LiveKernelResult Run(ScenarioInstance instance) => RunAll([instance])[0];

    private LiveKernelResult Execute(ScenarioInstance instance, CProgram program, string binary)
    {
        ProgramOutput output;
        try
        {
            lock (RunLock)
            {
                using var machine = MachineLock.Acquire(timeout * 5, TellWaiting);
                using var knobs = MachineKnobs.Snapshot();
                output = ExternalProgram.Run(binary, [program.Name], timeout, Path.GetTempPath());
            }
        }
        catch (TimeoutException)
        {
            return LiveKernelResult.Fault(instance, $"the program did not finish within {timeout.TotalSeconds:0.#} s and was killed ({binary})");
        }
        catch (Exception e) when (e is LiveKernelException or IOException or System.ComponentModel.Win32Exception)
        {
            return LiveKernelResult.Fault(instance, e.Message);
        }

        return LiveOutput.Parse(instance, program, output.ExitCode, output.StandardOutput, output.StandardError);
    }

    private void TellWaiting()
    {
        if (Interlocked.Exchange(ref _toldWaiting, 1) == 0)
        {
            notice?.Invoke($"waiting for the machine-wide lock {MachineLock.LockPath}: another CowGuard run is running a live-kernel program");
        }
    }
}
