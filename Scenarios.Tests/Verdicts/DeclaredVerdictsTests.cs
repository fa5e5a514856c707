using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Verdicts;

/// <summary>
/// One era vocabulary: verdict lines name eras by <see cref="Era.Name"/> (any case) or the M/F/R/X aliases, need not
/// name all of them, and an era a line does not name takes the verdict of the era it refines.
/// </summary>
public sealed class DeclaredVerdictsTests
{
    private const string Body = "p = process\nexpect \"x\": 1 == 1\n";

    [Fact]
    public void Eras_are_found_by_name_in_any_case_or_by_alias()
    {
        Assert.Same(Era.AnonExclusive, EraNames.Find("AnonExclusive"));
        Assert.Same(Era.AnonExclusive, EraNames.Find("anonexclusive"));
        Assert.Same(Era.AnonExclusive, EraNames.Find("X"));
        Assert.Same(Era.Mapcount, EraNames.Find("M"));
        Assert.Null(EraNames.Find("x"));
        Assert.Null(EraNames.Find("Q"));
    }

    [Fact]
    public void Every_era_of_the_model_gets_a_declared_verdict()
    {
        var instance = ScenarioLoader.LoadText("t.cow", "scenario \"t\"\nverdict mapcount=FAIL ForcedCowGup=pass R=pass AnonExclusive=XFAIL\n" + Body).Single();

        Assert.Equal(Era.All, instance.Expected.Keys.OrderBy(e => Era.All.ToList().IndexOf(e)));
        Assert.Equal(Verdict.Fail, instance.Expected[Era.Mapcount]);
        Assert.Equal(Verdict.XFail, instance.Expected[Era.AnonExclusive]);
    }

    [Fact]
    public void An_era_no_rule_names_inherits_from_the_era_it_refines()
    {
        // No era of today's model refines another, so the refinement here is the test's own: ForcedCowGup refining Mapcount.
        Era? Refines(Era era) => era == Era.ForcedCowGup ? Era.Mapcount : null;
        var defaults = new Dictionary<Era, Verdict> { [Era.Mapcount] = Verdict.Fail, [Era.Refcount] = Verdict.Pass, [Era.AnonExclusive] = Verdict.Pass };
        var hugetlb = new Dictionary<Era, Verdict> { [Era.Mapcount] = Verdict.Pass };

        Assert.Empty(DeclaredVerdicts.MissingFromDefault(defaults, Era.All, Refines));
        Assert.Equal(Verdict.Fail, DeclaredVerdicts.Resolve([defaults], Era.All, Refines)[Era.ForcedCowGup]);
        Assert.Equal(Verdict.Pass, DeclaredVerdicts.Resolve([defaults, hugetlb], Era.All, Refines)[Era.ForcedCowGup]);

        var named = new Dictionary<Era, Verdict>(defaults) { [Era.ForcedCowGup] = Verdict.Pass };
        Assert.Equal(Verdict.Pass, DeclaredVerdicts.Resolve([named, hugetlb], Era.All, Refines)[Era.ForcedCowGup]);
    }

    [Fact]
    public void An_era_that_refines_none_must_be_in_the_default_rule()
    {
        var defaults = new Dictionary<Era, Verdict> { [Era.Mapcount] = Verdict.Fail, [Era.Refcount] = Verdict.Pass };

        Assert.Equal([Era.ForcedCowGup, Era.AnonExclusive], DeclaredVerdicts.MissingFromDefault(defaults, Era.All, e => e.Refines));
    }

    [Fact]
    public void Pattern_rules_name_only_the_eras_they_change()
    {
        var text = "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\nverdict b*: Refcount=FAIL\nbacking b1 \"one\"\nend\nbacking c1 \"other\"\nend\nover b1, c1\n"
            + "p = process\nsetup\nexpect \"x\": 1 == 1\n";
        var instances = ScenarioLoader.LoadText("t.cow", text).ToDictionary(i => i.Backing!.Id);

        Assert.Equal(Verdict.Fail, instances["b1"].Expected[Era.Refcount]);
        Assert.Equal(Verdict.Pass, instances["b1"].Expected[Era.AnonExclusive]);
        Assert.Equal(Verdict.Pass, instances["c1"].Expected[Era.Refcount]);
    }
}
