namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// A forked child (or grandchild) of a root. Nobody writes it, so its owner slots must keep, for its whole life, the
/// values it read right after the fork: a parent's post-fork write or DMA showing up here is an isolation failure.
/// </summary>
internal sealed record StressChild(VmProcess Process, StressRoot Root, uint[] Snapshot);
