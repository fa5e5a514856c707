namespace CowGuard.VmModel;

/// <summary>
/// A page-reference handle released twice (double put_page / double unpin), or through the API of the wrong kind
/// (put_page on pinned pages, unpin on plain references) — the refcount underflows and pin accounting the kernel
/// checks under DEBUG_VM (VM_BUG_ON_FOLIO in gup_put_folio).
/// </summary>
public sealed class PageReferenceReleaseException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The first user address of the handle.</param>
    /// <param name="cause">What was wrong with the release.</param>
    public PageReferenceReleaseException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "EINVAL";
}
