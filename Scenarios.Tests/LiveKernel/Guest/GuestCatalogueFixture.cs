using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.LiveKernel.Guest;
using CowGuard.Scenarios.Loading;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Tests.LiveKernel.Guest;

/// <summary>
/// Runs the whole built-in catalogue once in the guest kernel (6.12, the AnonExclusive era, with gup_test and
/// soft-dirty) and under the AnonExclusive model. Where the guest is not built every instance is skipped with the
/// reason. The 1 GiB hugetlb instances are left out unless COWGUARD_GUEST_GIGANTIC=1: they need an 8 GiB guest.
/// </summary>
public sealed class GuestCatalogueFixture
{
    public GuestCatalogueFixture()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Backend = GuestKernelBackend.Locate();
        var instances = BuiltInCatalogue.LoadAll();
        var gigantic = Environment.GetEnvironmentVariable("COWGUARD_GUEST_GIGANTIC") == "1";
        var chosen = instances.Where(i => gigantic || !GiganticPages.Uses(i)).ToList();
        var live = Backend.RunAll(chosen).ToDictionary(r => r.Instance.Id, StringComparer.Ordinal);
        Results = instances
            .Select(i => live.TryGetValue(i.Id, out var result)
                ? LiveComparison.Of(result, Era.AnonExclusive, era => Interpreter.Run(i, era, RunOptions.Default))
                : LiveComparison.Of(LiveKernelResult.Skip(i, "a 1 GiB hugetlb backing: the guest has 2 GiB of memory (COWGUARD_GUEST_GIGANTIC=1 needs an 8 GiB guest)"), Era.AnonExclusive, _ => throw new InvalidOperationException()))
            .ToDictionary(c => c.Instance.Id, StringComparer.Ordinal);
        Elapsed = clock.Elapsed;
    }

    internal GuestKernelBackend Backend { get; }

    /// <summary>How long the whole comparison took (compiling, booting, running, the model's runs).</summary>
    internal TimeSpan Elapsed { get; }

    internal IReadOnlyDictionary<string, LiveComparison> Results { get; }
}
