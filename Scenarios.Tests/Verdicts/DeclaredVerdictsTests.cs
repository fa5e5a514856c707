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
        // EarlyRefcount (5.9-5.10) refines Refcount: a file that does not name it gives it Refcount's verdict.
        Assert.Equal(Era.Refcount, Era.EarlyRefcount.Refines);
        var defaults = new Dictionary<Era, Verdict>
        {
            [Era.Mapcount] = Verdict.Fail, [Era.ForcedCowGup] = Verdict.Fail, [Era.Refcount] = Verdict.Pass, [Era.AnonExclusive] = Verdict.Pass,
        };
        var hugetlb = new Dictionary<Era, Verdict> { [Era.Refcount] = Verdict.Fail };

        Assert.Empty(DeclaredVerdicts.MissingFromDefault(defaults, Era.All, e => e.Refines));
        Assert.Equal(Verdict.Pass, DeclaredVerdicts.Resolve([defaults], Era.All, e => e.Refines)[Era.EarlyRefcount]);
        Assert.Equal(Verdict.Fail, DeclaredVerdicts.Resolve([defaults, hugetlb], Era.All, e => e.Refines)[Era.EarlyRefcount]);

        var named = new Dictionary<Era, Verdict>(defaults) { [Era.EarlyRefcount] = Verdict.Fail };
        Assert.Equal(Verdict.Fail, DeclaredVerdicts.Resolve([named], Era.All, e => e.Refines)[Era.EarlyRefcount]);
        Assert.Equal(Verdict.Pass, DeclaredVerdicts.Resolve([named], Era.All, e => e.Refines)[Era.Refcount]);
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
