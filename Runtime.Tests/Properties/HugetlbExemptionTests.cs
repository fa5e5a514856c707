using CowGuard.Exploration;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// The one documented exception to the AnonExclusive oracles: cow.c marks the vmsplice (FOLL_GET) leak on hugetlb
/// '# XFAIL' because hugetlb_wp still reuses by mapcount. The runner must count it as exempt under AnonExclusive —
/// and the same sequence on a base page must hold, while under Mapcount both leak.
/// </summary>
public sealed class HugetlbExemptionTests
{
    private static readonly HashSet<Oracle> AllOracles = [.. Enum.GetValues<Oracle>()];

    private static Op[] VmspliceUnmapInChild(int slot) =>
    [
        new(OpKind.Fork, 0, 0, FollFlags.None, 0),
        new(OpKind.Vmsplice, 1, slot, FollFlags.None, 0),
        new(OpKind.Munmap, 1, slot, FollFlags.None, 0),
        new(OpKind.Fill, 0, slot, FollFlags.None, 0),
        new(OpKind.PipeRead, 0, 0, FollFlags.None, 0),
    ];

    private static int HugetlbSlot => Universe.PropertyTests.Slots.ToList().IndexOf(SlotKind.Hugetlb);

    [Fact]
    public void The_hugetlb_vmsplice_leak_is_counted_as_the_documented_XFAIL_under_AnonExclusive()
    {
        var run = ModelRun.Run(Era.AnonExclusive, VmspliceUnmapInChild(HugetlbSlot), AllOracles);

        Assert.Null(run.Violation);
        Assert.Equal(5, run.Executed.Count);
        Assert.Equal(1, run.ExemptHugetlbGetLeaks);
    }

    [Fact]
    public void The_same_sequence_on_a_base_page_holds_under_AnonExclusive_and_leaks_under_Mapcount()
    {
        var anonExclusive = ModelRun.Run(Era.AnonExclusive, VmspliceUnmapInChild(0), AllOracles);
        var mapcount = ModelRun.Run(Era.Mapcount, VmspliceUnmapInChild(0), AllOracles);
        var mapcountHugetlb = ModelRun.Run(Era.Mapcount, VmspliceUnmapInChild(HugetlbSlot), AllOracles);

        Assert.Null(anonExclusive.Violation);
        Assert.Equal(0, anonExclusive.ExemptHugetlbGetLeaks);
        Assert.Equal(Oracle.Isolation, mapcount.Violation?.Oracle);
        Assert.Equal(Oracle.Isolation, mapcountHugetlb.Violation?.Oracle);
    }
}
