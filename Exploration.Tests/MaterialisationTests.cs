using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>Copying parent states and replaying from the root must explore exactly the same space.</summary>
public sealed class MaterialisationTests
{
    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void Cloning_and_replaying_find_the_same_states_and_counterexamples(string era)
    {
        ExplorationReport Explore(Materialisation how) => Explorer.Run(new ExplorationOptions
        {
            Era = Era.Parse(era), MaxDepth = 3, Materialisation = how,
            Alphabet = Alphabet.Parse("fork,exit,fill,pin_user_pages,pin_user_pages_fast:write,get_user_pages,vmsplice,release,device_write,pipe_read,mprotect_r,mprotect_rw,pageout,clear_refs"),
        });

        var (cloned, replayed) = (Explore(Materialisation.Clone), Explore(Materialisation.Replay));

        Assert.Equal(replayed.StatesFound, cloned.StatesFound);
        Assert.Equal(replayed.Transitions, cloned.Transitions);
        Assert.Equal(replayed.StatesMerged, cloned.StatesMerged);
        Assert.Equal(replayed.Levels.Select(l => l.NewStates), cloned.Levels.Select(l => l.NewStates));
        Assert.Equal(replayed.Counterexamples.Values.Select(c => c.ToString()), cloned.Counterexamples.Values.Select(c => c.ToString()));
    }

    [Fact]
    public void One_worker_and_two_find_the_same_states_and_the_same_counterexamples()
    {
        ExplorationReport Explore(int workers) => Explorer.Run(new ExplorationOptions { Era = Era.Mapcount, MaxDepth = 3, Workers = workers });

        var (one, two) = (Explore(1), Explore(2));

        Assert.Equal(one.StatesFound, two.StatesFound);
        Assert.Equal(one.Transitions, two.Transitions);
        Assert.Equal(one.Counterexamples.Values.Select(c => c.ToString()), two.Counterexamples.Values.Select(c => c.ToString()));
    }
}
