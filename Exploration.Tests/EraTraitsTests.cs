using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>The explorer learns from the model's behaviour which eras keep PG_anon_exclusive (the hugetlb exemption's condition).</summary>
public sealed class EraTraitsTests
{
    [Fact]
    public void Only_the_era_since_5_19_sets_PageAnonExclusive_on_a_new_anonymous_page()
    {
        Assert.True(EraTraits.TracksAnonExclusive(Era.AnonExclusive));
        Assert.False(EraTraits.TracksAnonExclusive(Era.Refcount));
        Assert.False(EraTraits.TracksAnonExclusive(Era.ForcedCowGup));
        Assert.False(EraTraits.TracksAnonExclusive(Era.Mapcount));
    }
}
