using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Scenarios.Tests.LiveKernel.Guest;

/// <summary>
/// Issue 16: every catalogue instance compared live on the guest kernel too — there R/O pins go through gup_test and
/// clear_refs really write-protects, the two halves this machine's kernel cannot run. The same per-check agreement as
/// <see cref="CatalogueAgreementTests"/>; skipped with the reason where the guest is not built.
/// </summary>
public sealed class GuestCatalogueAgreementTests(GuestCatalogueFixture fixture, ITestOutputHelper output) : IClassFixture<GuestCatalogueFixture>
{
    public static TheoryData<string> Instances() => new(BuiltInCatalogue.LoadAll().Select(i => i.Id));

    [SkippableTheory]
    [MemberData(nameof(Instances))]
    public void Guest_kernel_agrees_with_the_AnonExclusive_model(string id) => CatalogueAgreementTests.Check(fixture.Results[id], output);

    [SkippableFact]
    public void Runs_the_read_only_pin_and_clear_refs_scenarios_this_machine_cannot()
    {
        output.WriteLine(fixture.Backend.Facts.Describe());
        output.WriteLine($"{fixture.Results.Count} instances compared in {fixture.Elapsed.TotalSeconds:0.0} s: "
            + string.Join(", ", fixture.Results.Values.GroupBy(c => c.Live.Outcome).Select(g => $"{g.Count()} {g.Key}")));
        Skip.If(fixture.Backend.Facts.Unusable is not null, fixture.Backend.Facts.Unusable);

        Assert.Equal(LiveOutcome.Ran, fixture.Results["13-ro-gup-pin-exclusive/base"].Live.Outcome);
        Assert.Equal(LiveOutcome.Ran, fixture.Results["07-iouring-fixed-buffer-ro-mapped/base"].Live.Outcome);
        Assert.Equal(LiveOutcome.Ran, fixture.Results["B03-cow-breaks-either-way"].Live.Outcome);
    }
}
