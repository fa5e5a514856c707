namespace CowGuard.VmModel;

/// <summary>
/// 5.8 (17839856fd58 "gup: document and work around 'COW can break either way' issue"): the mapcount fault path,
/// but every FOLL_GET/FOLL_PIN on a COW mapping is turned into FOLL_WRITE (should_force_cow_break), and GUP-fast
/// walks with FOLL_WRITE so it refuses every read-only PTE. Reverted in 5.9 by a308c71bf1e6.
/// </summary>
internal sealed class ForcedCowGupEra : MapcountEra
{
    public override string Name => "ForcedCowGup";

    public override string KernelVersions => "5.8";

    /// <summary>should_force_cow_break: a COW mapping in the slow walk; always in get_user_pages_fast.</summary>
    internal override bool ShouldForceCowBreak(VmArea? vma, FollFlags flags) => vma is null || vma.IsCowMapping;
}
