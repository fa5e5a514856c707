using System.Runtime.CompilerServices;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.LiveKernel.Guest;

namespace CowGuard.Scenarios.Tests.LiveKernel.Guest;

/// <summary>
/// Locates the guest kernel once and, when it is there, compiles the probes (probes/*.c, statically, against the
/// guest's headers) and boots the guest once for all of them: one boot per batch is the runner's model of use.
/// </summary>
public sealed class GuestFixture
{
    private readonly Lazy<Task<GuestBatchResult>> _batch;

    public GuestFixture()
    {
        var lookup = GuestKernel.Locate();
        Kernel = lookup.Kernel;
        Unavailable = lookup.Unavailable?.Reason;
        _batch = new Lazy<Task<GuestBatchResult>>(RunProbesAsync);
    }

    internal GuestKernel? Kernel { get; }

    /// <summary>Why the guest cannot run here (the skip reason), or null.</summary>
    public string? Unavailable { get; }

    /// <summary>The one boot that ran every probe (see <see cref="Programs"/>).</summary>
    internal Task<GuestBatchResult> Batch => _batch.Value;

    /// <summary>The batch: name, probe file, arguments, timeout in seconds.</summary>
    internal static IReadOnlyList<(string Name, string Probe, string[] Arguments, int Seconds)> Programs { get; } =
    [
        ("print", "batch.c", ["print", "two words", "it's"], 30),
        ("segv", "batch.c", ["segv"], 30),
        ("hang", "batch.c", ["hang"], 2),
        ("after-hang", "batch.c", ["uname"], 30),
        ("ro-pin-shared-slow", "ro_pin.c", ["shared", "slow"], 30),
        ("ro-pin-shared-fast", "ro_pin.c", ["shared", "fast"], 30),
        ("ro-pin-exclusive-fast", "ro_pin.c", ["exclusive", "fast"], 30),
        ("rw-pin-of-read-only", "ro_pin.c", ["rw-on-ro", "slow"], 30),
        ("soft-dirty", "soft_dirty.c", [], 30),
        ("facts", "facts.c", [], 30),
    ];

    /// <summary>Compiles a probe for the guest (cached by content).</summary>
    internal async Task<GuestProgram> CompileAsync(string name, string probe, TimeSpan? timeout = null, IReadOnlyList<string>? arguments = null)
    {
        var headers = new Dictionary<string, string> { ["cg_guptest.h"] = CSupportFiles.All["cg_guptest.h"] };
        var compiled = await GuestCompiler.CompileAsync(Kernel!, name, await File.ReadAllTextAsync(ProbePath(probe)), headers, timeout: timeout);
        return new GuestProgram(name, compiled.Binary, compiled.Timeout, arguments);
    }

    internal static string ProbePath(string probe, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "probes", probe);

    private async Task<GuestBatchResult> RunProbesAsync()
    {
        var programs = new List<GuestProgram>();
        foreach (var (name, probe, arguments, seconds) in Programs)
            programs.Add(await CompileAsync(name, probe, TimeSpan.FromSeconds(seconds), arguments));
        return await Kernel!.RunAsync(programs);
    }
}
