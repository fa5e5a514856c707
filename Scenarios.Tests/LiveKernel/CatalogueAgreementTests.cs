using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Issue 7: every syscall-reachable catalogue scenario agrees between the AnonExclusive model and the live kernel,
/// or is skipped with a reason. A disagreement fails the test with both sides' checks, and so does a live verdict
/// that contradicts the X verdict the file declares (when every check was observable).
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class CatalogueAgreementTests(LiveKernelFixture fixture, ITestOutputHelper output) : IClassFixture<LiveKernelFixture>
{
    public static TheoryData<string> Instances() => new(BuiltInCatalogue.LoadAll().Select(i => i.Id));

    [SkippableTheory]
    [MemberData(nameof(Instances))]
    public void Live_kernel_agrees_with_the_AnonExclusive_model(string id)
    {
        Check(fixture.Results[id], output);
    }

    /// <summary>The comparison of one instance on a kernel whose era is AnonExclusive: agrees check by check, or is skipped with the reason.</summary>
    internal static void Check(LiveComparison comparison, ITestOutputHelper output)
    {
        var live = comparison.Live;
        output.WriteLine($"{comparison.Instance.DisplayName}: live {live.Describe()}");
        Assert.True(live.Outcome != LiveOutcome.Error, $"live-kernel backend error: {live.Reason}");
        if (live.Outcome == LiveOutcome.Skipped)
        {
            Assert.False(string.IsNullOrWhiteSpace(live.Reason));
            throw new SkipException(live.Reason);
        }

        var model = comparison.Model!;
        Assert.True(model.Error is null, $"the model could not run the scenario: {model.Error?.Message}");
        Assert.True(
            LiveAgreement.Agrees(live, model) == true,
            $"disagreement on {comparison.Instance.DisplayName}\n live: {string.Join("; ", live.Checks.Select(c => c.Format()))}\n model: {string.Join("; ", model.Checks.Select(c => c.Format()))}");
        Assert.False(comparison.ContradictsDeclaration, $"the live kernel's {live.Describe()} contradicts the declared AnonExclusive={Scenarios.Verdicts.VerdictText.Format(comparison.Instance.Expected[VmModel.Era.AnonExclusive])}");
    }

    [SkippableFact]
    public void Runs_real_programs_on_this_machine()
    {
        output.WriteLine(fixture.Backend.Facts.Describe() + "; " + fixture.SwapNote);
        output.WriteLine($"{fixture.Results.Count} instances compared in {fixture.Elapsed.TotalSeconds:0.0} s: "
            + string.Join(", ", fixture.Results.Values.GroupBy(c => c.Live.Outcome).Select(g => $"{g.Count()} {g.Key}")));
        Skip.If(fixture.Backend.Facts.Unusable is not null, $"live kernel unusable here: {fixture.Backend.Facts.Unusable}");

        // On Linux with gcc the catalogue's basic fork cases need nothing special: they must really run, not skip.
        var ran = fixture.Results.Values.Count(c => c.Live.Outcome == LiveOutcome.Ran);
        Assert.True(ran > 0, "no catalogue scenario ran on the live kernel");
        Assert.Equal(LiveOutcome.Ran, fixture.Results["01-basic-cow-after-fork/base"].Live.Outcome);
    }
}
