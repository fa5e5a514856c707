using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

public sealed class KernelEraTests
{
    [Theory]
    [InlineData("4.19.300", "M")]
    [InlineData("5.7.19", "M")]
    [InlineData("5.8.0-63-generic", "F")]
    [InlineData("5.9.1", "R")]
    [InlineData("5.18.19", "R")]
    [InlineData("5.19.0", "X")]
    [InlineData("6.18.44-fc-v782", "X")]
    public void The_release_names_the_era(string release, string era) => Assert.Equal(Enum.Parse<EraCode>(era), KernelEra.FromRelease(release));

    [Fact]
    public void An_unreadable_release_has_no_era() => Assert.Null(KernelEra.FromRelease("unknown"));
}
