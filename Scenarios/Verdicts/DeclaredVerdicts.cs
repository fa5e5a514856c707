using CowGuard.VmModel;

namespace CowGuard.Scenarios.Verdicts;

/// <summary>
/// The verdict a scenario instance declares for every era of <see cref="Era.All"/>. Rules apply in file order (the
/// default rule first, then each pattern rule matching the backing, later ones winning); an era no rule names takes
/// the verdict of the era it refines (<see cref="Era.Refines"/>), so a new era that refines an old one needs no edit
/// of the files whose verdict is the same for both. The default rule must name every era that refines none.
/// </summary>
internal static class DeclaredVerdicts
{
    /// <summary>The eras of <paramref name="eras"/> a default rule must name: those that refine no other era.</summary>
    public static IEnumerable<Era> MissingFromDefault(IReadOnlyDictionary<Era, Verdict> defaultRule, IReadOnlyList<Era> eras, Func<Era, Era?> refines) =>
        eras.Where(e => refines(e) is null && !defaultRule.ContainsKey(e));

    /// <summary>Resolves <paramref name="rules"/> (each era → verdict, in order; the first is a complete default rule) for every era.</summary>
    public static IReadOnlyDictionary<Era, Verdict> Resolve(
        IEnumerable<IReadOnlyDictionary<Era, Verdict>> rules, IReadOnlyList<Era> eras, Func<Era, Era?> refines)
    {
        var named = new Dictionary<Era, Verdict>();
        foreach (var rule in rules)
        {
            foreach (var (era, verdict) in rule)
            {
                named[era] = verdict;
            }
        }

        return eras.ToDictionary(era => era, era => Inherited(era, named, refines));
    }

    private static Verdict Inherited(Era era, Dictionary<Era, Verdict> named, Func<Era, Era?> refines)
    {
        for (Era? current = era; current is not null; current = refines(current))
        {
            if (named.TryGetValue(current, out var verdict))
            {
                return verdict;
            }
        }

        throw new InvalidOperationException($"no verdict for era {era.Name}: the default rule must name every era that refines none");
    }
}
