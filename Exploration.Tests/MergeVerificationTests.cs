using CowGuard.VmModel;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Exploration.Tests;

/// <summary>
/// The canonical encoding's promise, checked on every merge of small explorations: two states with the same encoding
/// take the same steps to states with the same encodings and the same verdicts.
/// </summary>
public sealed class MergeVerificationTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void Merged_states_of_the_default_exploration_behave_alike(string era)
    {
        var report = Explorer.Run(new ExplorationOptions { Era = Era.Parse(era), MaxDepth = 2, VerifyMerges = true });

        output.WriteLine(CiBoundTests.Describe(report) + $", {report.MergesVerified} merges verified");
        Assert.True(report.MergesVerified > 100);
        Assert.Empty(report.MergeMismatches);
    }

    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void Merged_states_with_huge_pages_behave_alike(string era)
    {
        var report = Explorer.Run(new ExplorationOptions
        {
            Era = Era.Parse(era), MaxDepth = 2, VerifyMerges = true,
            Alphabet = Alphabet.Parse("fork,fill,read,pin_user_pages,vmsplice,release,mprotect_r,dontneed,pageout,clear_refs,uffd_wp_on,collapse,split"),
            Universe = new Universe { Slots = [SlotKind.Thp, SlotKind.Hugetlb], MaxProcesses = 2, MaxReferences = 1 },
        });

        output.WriteLine(CiBoundTests.Describe(report) + $", {report.MergesVerified} merges verified");
        Assert.True(report.MergesVerified > 50);
        Assert.Empty(report.MergeMismatches);
    }
}
