using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Live-kernel tests share machine-wide state (swap devices, THP and hugetlb knobs), so their classes never run in
/// parallel with each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveKernelCollection
{
    public const string Name = "live kernel";
}
