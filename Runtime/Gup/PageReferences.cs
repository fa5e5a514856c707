namespace CowGuard.VmModel;

/// <summary>FOLL_GET references (get_user_pages*, follow_page): release with <see cref="Gup.PutPages"/>.</summary>
public sealed class PageReferences : PageReferenceHandle
{
    internal PageReferences(VmProcess process, ulong start, PageRef[] pages, int count, FollFlags flags, VmException? stoppedBy = null)
        : base(process, start, pages, count, flags, stoppedBy)
    {
    }

    /// <inheritdoc />
    public override PageReferenceKind Kind => PageReferenceKind.Get;
}
