using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

public sealed class EraTests
{
    [Theory]
    [InlineData(4, 19, "Mapcount")]
    [InlineData(5, 7, "Mapcount")]
    [InlineData(5, 8, "ForcedCowGup")]
    [InlineData(5, 9, "EarlyRefcount")]
    [InlineData(5, 10, "EarlyRefcount")]
    [InlineData(5, 11, "Refcount")]
    [InlineData(5, 18, "Refcount")]
    [InlineData(5, 19, "EarlyAnonExclusive")]
    [InlineData(6, 1, "EarlyAnonExclusive")]
    [InlineData(6, 2, "AnonExclusive")]
    [InlineData(6, 18, "AnonExclusive")]
    public void A_kernel_version_selects_its_era(int major, int minor, string era) =>
        Assert.Same(Era.Parse(era), Era.ForKernel(major, minor));

    [Fact]
    public void Unknown_era_names_and_versions_are_invalid()
    {
        Assert.Throws<InvalidVmArgumentException>(() => Era.Parse("Dirty"));
        Assert.Throws<InvalidVmArgumentException>(() => Era.ForKernel(1, 0));
        Assert.Equal(["Mapcount", "ForcedCowGup", "EarlyRefcount", "Refcount", "EarlyAnonExclusive", "AnonExclusive"], Era.All.Select(e => e.Name));
        Assert.Same(Era.EarlyRefcount, Era.Parse("earlyrefcount"));
    }
}
