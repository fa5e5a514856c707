using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests;

/// <summary>The built-in catalogue loads and has cow.c's shape: the same number of test runs as cow.c on this machine kind.</summary>
public sealed class CatalogueShapeTests
{
    private static readonly IReadOnlyList<ScenarioInstance> Catalogue = BuiltInCatalogue.LoadAll();

    [Fact]
    public void Cow_c_catalogue_has_778_runs_like_the_kernel_selftest()
    {
        // live-kernel.md: 14 anon tests x 54 backings + 4 THP-collapse tests + 3 non-anon tests x 6 backings = 778.
        string[] cowCFolders = ["anon", "anon-thp", "non-anon"];
        var cowC = Catalogue.Where(i => cowCFolders.Contains(Path.GetDirectoryName(BuiltInCatalogue.RelativeName(i.File)))).ToList();

        Assert.Equal(778, cowC.Count);
        Assert.Equal(14 * 54, cowC.Count(i => BuiltInCatalogue.RelativeName(i.File).StartsWith("anon" + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
    }

    [Fact]
    public void Display_names_are_unique_and_use_the_kernel_wording()
    {
        Assert.Equal(Catalogue.Count, Catalogue.Select(i => i.DisplayName).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(Catalogue, i => i.DisplayName == "vmsplice() + unmap in child ... with base page");
        Assert.Contains(Catalogue, i => i.DisplayName == "R/O GUP-fast pin on R/O-mapped previously-shared page ... with single PTE of swapped-out THP (64 kB)");
        Assert.Contains(Catalogue, i => i.DisplayName == "fork() with an iouring fixed buffer ... with hugetlb (1048576 kB)");
        Assert.Contains(Catalogue, i => i.DisplayName == "Basic COW after fork() when collapsing after fork() (upper shared)");
        Assert.Contains(Catalogue, i => i.DisplayName == "R/O longterm GUP-fast pin ... with memfd hugetlb (2048 kB)");
    }

    [Fact]
    public void Verdict_exceptions_apply_to_their_backings_only()
    {
        var vmsplice = Catalogue.Where(i => i.ScenarioName == "vmsplice() + unmap in child").ToDictionary(i => i.Backing!.Id);

        Assert.Equal(Verdict.XFail, vmsplice["hugetlb[2M]"].Expected[Era.AnonExclusive]);
        Assert.Equal(Verdict.Pass, vmsplice["thp_pte[2M]"].Expected[Era.AnonExclusive]);
        Assert.Equal(Verdict.Fail, vmsplice["thp"].Expected[Era.Refcount]);
        Assert.Equal(Verdict.Pass, vmsplice["thp_pte[2M]"].Expected[Era.Refcount]);
        Assert.Equal(Verdict.Fail, vmsplice["base"].Expected[Era.Mapcount]);
    }
}
