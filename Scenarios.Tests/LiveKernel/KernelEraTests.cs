using CowGuard.Scenarios.LiveKernel;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

public sealed class KernelEraTests
{
    [Theory]
    [InlineData("4.19.300", "Mapcount")]
    [InlineData("5.7.19", "Mapcount")]
    [InlineData("5.8.0-63-generic", "ForcedCowGup")]
    [InlineData("5.9.1", "EarlyRefcount")]
    [InlineData("5.11.0", "Refcount")]
    [InlineData("5.18.19", "Refcount")]
    [InlineData("5.19.0", "EarlyAnonExclusive")]
    [InlineData("6.1.192", "EarlyAnonExclusive")]
    [InlineData("6.2.0", "AnonExclusive")]
    [InlineData("6.18.44-fc-v782", "AnonExclusive")]
    public void The_release_names_the_era(string release, string era) => Assert.Equal(Era.Parse(era), KernelEra.FromRelease(release));

    [Fact]
    public void An_unreadable_release_has_no_era() => Assert.Null(KernelEra.FromRelease("unknown"));
}
