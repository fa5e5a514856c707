namespace CowGuard.VmModel;

public sealed partial class Machine
{
    /// <summary>A page's counts for the trace, or null when recording is off (so hot paths pay nothing).</summary>
    internal PageState? Snap(Folio? folio, int index) =>
        Events.Enabled && folio is not null ? folio.StateOf(index) : null;

    internal void Trace(VmEventKind kind, VmProcess? process, ulong address, PageState? before, PageState? after, string detail)
    {
        if (Events.Enabled)
            Events.Record(kind, process?.Name ?? "", address, before, after, detail);
    }
}
