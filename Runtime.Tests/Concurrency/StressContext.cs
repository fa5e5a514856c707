using System.Collections.Concurrent;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>What every stress thread shares: the machine, the roots, the stop flag and the failures.</summary>
internal sealed class StressContext(Machine machine, IReadOnlyList<StressRoot> roots, bool readOnlyPinsCoherent)
{
    private volatile bool _stop;

    public Machine Machine { get; } = machine;

    public IReadOnlyList<StressRoot> Roots { get; } = roots;

    /// <summary>The era promises R/O FOLL_PIN coherence (gup_must_unshare, 5.19+); write pins are coherent in both eras run.</summary>
    public bool ReadOnlyPinsCoherent { get; } = readOnlyPinsCoherent;

    public ConcurrentQueue<string> Failures { get; } = new();

    public bool Stopping => _stop;

    public void Stop() => _stop = true;

    public void Fail(string failure)
    {
        Failures.Enqueue(failure);
        Stop();
    }
}
