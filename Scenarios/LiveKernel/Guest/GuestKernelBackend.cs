using System.Globalization;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// Runs scenario instances in the guest kernel: the same translation as on this machine (<see cref="LivePrograms"/>,
/// with the guest's <see cref="GuestFacts"/>, so R/O pins go through gup_test and clear_refs is real), one static
/// binary per scenario file (<see cref="GuestCompiler"/>), the programs of several files per boot, up to one QEMU per
/// CPU at a time, and the same CHECK protocol read back (<see cref="LiveOutput"/>). Nothing on this machine changes:
/// the knobs the programs set are the guest's, and the guest is gone when its batch ends.
/// </summary>
internal sealed class GuestKernelBackend : ILiveBackend
{
    /// <summary>Programs per boot: enough that the ~1.5 s boot is small next to them, few enough that a guest that dies takes few results with it.</summary>
    private const int ProgramsPerBoot = 48;

    private readonly GuestKernel? _kernel;
    private readonly GuestBootOptions _options;
    private readonly TimeSpan _timeout;
    private readonly Action<string>? _notice;

    private GuestKernelBackend(GuestKernel? kernel, KernelFacts facts, GuestBootOptions options, TimeSpan timeout, Action<string>? notice)
    {
        _kernel = kernel;
        Facts = facts;
        _options = options;
        _timeout = timeout;
        _notice = notice;
    }

    public string Where => "the guest kernel under QEMU";

    public KernelFacts Facts { get; }

    /// <summary>The built guest of this machine's cache, or a backend that skips everything with the reason it is missing.</summary>
    public static GuestKernelBackend Locate(string? cacheDirectory = null)
    {
        var options = new GuestBootOptions();
        var lookup = GuestKernel.Locate(cacheDirectory);
        return lookup.Kernel is { } kernel
            ? new GuestKernelBackend(kernel, GuestFacts.Of(kernel, options), options, TimeSpan.FromSeconds(60), null)
            : new GuestKernelBackend(null, GuestFacts.Unavailable(lookup.Unavailable!.Reason), options, TimeSpan.FromSeconds(60), null);
    }

    public ILiveBackend WithNotices(Action<string> listener) => new GuestKernelBackend(_kernel, Facts, _options, _timeout, listener);

    public IReadOnlyList<LiveKernelResult> RunAll(IReadOnlyList<ScenarioInstance> instances)
    {
        var results = new LiveKernelResult?[instances.Count];
        var batches = LivePrograms.Prepare(instances, Facts, results);
        if (_kernel is { } kernel && batches.Count > 0)
        {
            var compiled = LivePrograms.CompileEach(
                batches, instances, results, source => GuestCompiler.CompileAsync(kernel, "scenario", source, CSupportFiles.All).GetAwaiter().GetResult().Binary);
            var boots = compiled.Chunk(ProgramsPerBoot).ToList();
            _notice?.Invoke($"{compiled.Count} programs from {batches.Count} scenario files in {boots.Count} boots of {Where}");
            Parallel.ForEach(boots, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, boot => Run(kernel, instances, boot, results));
        }

        return results.Select(r => r!).ToList();
    }

    private void Run(GuestKernel kernel, IReadOnlyList<ScenarioInstance> instances, (int Index, CProgram Program, string Binary)[] boot, LiveKernelResult?[] results)
    {
        var programs = boot.Select(p => new GuestProgram(p.Program.Name, p.Binary, _timeout, [p.Program.Name])).ToList();
        GuestBatchResult batch;
        try
        {
            batch = kernel.RunAsync(programs, _options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is LiveKernelException or IOException or UnauthorizedAccessException)
        {
            Array.ForEach(boot, p => results[p.Index] = LiveKernelResult.Fault(instances[p.Index], e.Message));
            return;
        }

        foreach (var (index, program, _) in boot)
        {
            results[index] = Read(instances[index], program, batch, batch[program.Name]);
        }
    }

    private LiveKernelResult Read(ScenarioInstance instance, CProgram program, GuestBatchResult batch, GuestProgramResult result)
    {
        switch (result.Outcome)
        {
            case GuestOutcome.Exited:
                return LiveOutput.Parse(instance, program, result.ExitCode!.Value, result.Stdout, result.Stderr);
            case GuestOutcome.Signalled:
                return LiveKernelResult.Fault(instance, $"the program was killed by signal {result.Signal} in the guest: {Tail(result.Stdout)}");
            case GuestOutcome.TimedOut:
                return LiveKernelResult.Fault(instance, $"the program did not finish within {_timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s in the guest and was killed");
            default:
                var why = batch.TimedOut ? $"the guest did not finish its batch in time ({batch.Wall.TotalSeconds:0} s)" : "the guest stopped";
                return LiveKernelResult.Fault(instance, $"{why} before this program {(result.Outcome == GuestOutcome.Interrupted ? "finished" : "ran")}; console: {Tail(batch.Console)}");
        }
    }

    private static string Tail(string text) => string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
}
