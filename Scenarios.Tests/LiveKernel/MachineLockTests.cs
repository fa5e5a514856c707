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

    [Fact]
    public void A_holder_that_has_to_wait_says_so_once()
    {
        var told = 0;
        using (MachineLock.Acquire(TimeSpan.FromSeconds(30)))
        {
            Assert.Throws<LiveKernelException>(() => MachineLock.Acquire(TimeSpan.FromMilliseconds(300), () => told++));
        }

        Assert.Equal(1, told);
        using var free = MachineLock.Acquire(TimeSpan.FromSeconds(30), () => told++);
        Assert.Equal(1, told); // a free lock is taken without a word
    }
}
