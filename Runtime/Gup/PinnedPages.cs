namespace CowGuard.VmModel;

/// <summary>FOLL_PIN pins (pin_user_pages*): release with <see cref="Gup.UnpinUserPages"/>.</summary>
public sealed class PinnedPages : PageReferenceHandle
{
    internal PinnedPages(VmProcess process, ulong start, PageRef[] pages, int count, FollFlags flags, VmException? stoppedBy = null)
        : base(process, start, pages, count, flags, stoppedBy)
    {
    }

    /// <inheritdoc />
    public override PageReferenceKind Kind => PageReferenceKind.Pin;
}
