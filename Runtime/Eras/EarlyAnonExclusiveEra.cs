namespace CowGuard.VmModel;

/// <summary>
/// Mainline 5.19–6.1: PageAnonExclusive and R/O-pin unsharing of anonymous pages (a7f226604170), before 84209e87c696
/// (6.2, "mm/gup: reliable R/O long-term pinning in COW mappings"). It refines <see cref="AnonExclusiveEra"/> in one
/// answer: gup_must_unshare is false for every page that is not anonymous, so a R/O long-term pin of a page-cache page
/// or of the shared zero page in a private writable mapping pins that page, and the process's next write replaces it
/// with an anonymous copy the pin never sees.
/// </summary>
internal sealed class EarlyAnonExclusiveEra : AnonExclusiveEra
{
    public override string Name => "EarlyAnonExclusive";

    public override string KernelVersions => "5.19–6.1";

    /// <inheritdoc />
    public override Era? Refines => AnonExclusive;

    /// <summary>6.1's gup_must_unshare: <c>if (!PageAnon(page)) return false;</c> before anything else.</summary>
    internal override bool GupMustUnshare(VmArea? vma, FollFlags flags, bool pin, Folio folio, int index) =>
        folio.IsAnon && base.GupMustUnshare(vma, flags, pin, folio, index);
}
