using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

[Collection(LiveKernelCollection.Name)]
public sealed class MachineLockTests
{
    [Fact]
    public void A_second_holder_waits_and_gives_up_with_the_cause()
    {
        using (MachineLock.Acquire(TimeSpan.FromSeconds(30)))
        {
            var e = Assert.Throws<LiveKernelException>(() => MachineLock.Acquire(TimeSpan.FromMilliseconds(200)));
            Assert.Contains("another CowGuard process held", e.Message, StringComparison.Ordinal);
        }

        using var again = MachineLock.Acquire(TimeSpan.FromSeconds(30)); // released on dispose
    }
}
