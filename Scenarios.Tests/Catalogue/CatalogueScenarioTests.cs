using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Catalogue;

/// <summary>
/// Runs every built-in scenario (Scenarios/Catalogue, the one copy of the cow.c and bug catalogue) under every era
/// of <see cref="Era.All"/> and asserts the verdict its file declares, with the model's invariant checks on. One test
/// case per scenario × backing × era, named with the kernel's test name, e.g. "vmsplice() + unmap in child ... with
/// base page".
/// </summary>
public sealed class CatalogueScenarioTests
{
    private static readonly Lazy<Dictionary<string, IReadOnlyList<ScenarioInstance>>> Files = new(() =>
        BuiltInCatalogue.ScenarioFiles().ToDictionary(BuiltInCatalogue.RelativeName, ScenarioLoader.LoadFile));

    public static TheoryData<string, string, string, string> Runs() => Cases(gigantic: false);

    public static TheoryData<string, string, string, string> GiganticRuns() => Cases(gigantic: true);

    [Theory]
    [MemberData(nameof(Runs))]
    public void Scenario_gives_its_declared_verdict(string scenario, string era, string file, string backing) =>
        AssertDeclaredVerdict(scenario, era, file, backing);

    [Theory]
    [MemberData(nameof(GiganticRuns))]
    public void Scenario_on_1GiB_hugetlb_gives_its_declared_verdict(string scenario, string era, string file, string backing) =>
        AssertDeclaredVerdict(scenario, era, file, backing);

    /// <summary>Instance ids name test cases and key the live comparison, so two files must not share one (explored/ and regressions/ once did).</summary>
    [Fact]
    public void Every_instance_id_in_the_catalogue_is_unique()
    {
        var duplicates = Files.Value.SelectMany(f => f.Value.Select(i => (i.Id, File: f.Key)))
            .GroupBy(i => i.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.File))}").ToList();

        Assert.True(Files.Value.Count > 40, $"only {Files.Value.Count} catalogue files found");
        Assert.Empty(duplicates);
    }

    private static TheoryData<string, string, string, string> Cases(bool gigantic)
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (file, instances) in Files.Value.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var instance in instances.Where(i => GiganticPages.Uses(i) == gigantic))
            {
                foreach (var era in Era.All)
                {
                    data.Add(instance.DisplayName, era.Name, file, instance.Backing?.Id ?? string.Empty);
                }
            }
        }

        return data;
    }

    private static void AssertDeclaredVerdict(string scenario, string era, string file, string backing)
    {
        var instance = Files.Value[file].Single(i => (i.Backing?.Id ?? string.Empty) == backing);
        Assert.Equal(scenario, instance.DisplayName);

        var result = Interpreter.Run(instance, Era.Parse(era), new RunOptions(CheckInvariants: true));

        Assert.True(result.Error is null, $"the scenario did not run to the end: {result.Error?.Message}");
        Assert.True(
            result.MatchesDeclaration,
            $"{scenario} under era {era}: declared {VerdictText.Format(result.Expected)}, observed {VerdictText.Format(result.Observed)}\n"
            + string.Join("\n", result.Checks.Select(c => "  " + c.Format())));
    }
}
