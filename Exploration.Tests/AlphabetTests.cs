using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

public sealed class AlphabetTests
{
    [Fact]
    public void Letters_parse_and_print_back_the_same()
    {
        foreach (var text in new[] { "fork", "pin_user_pages_fast:write+longterm", "get_user_pages:break_cow", "pageout", "split" })
        {
            Assert.Equal(text, Letter.Parse(text).ToString());
        }

        Assert.Equal(new Letter(OpKind.PinUserPages, FollFlags.None), Letter.Parse("pin_user_pages:ro"));
        Assert.Equal(Alphabet.Default.Letters, Alphabet.Parse(Alphabet.Default.ToString()).Letters);
        Assert.Same(Alphabet.Full, Alphabet.Parse("full"));
    }

    [Fact]
    public void The_default_alphabet_has_every_kind_of_step_issue_19_names()
    {
        var kinds = Alphabet.Default.Letters.Select(l => l.Kind).ToHashSet();
        OpKind[] named =
        [
            OpKind.Fork, OpKind.Exit, OpKind.Fill, OpKind.Read, OpKind.GetUserPages, OpKind.GetUserPagesFast, OpKind.PinUserPages,
            OpKind.PinUserPagesFast, OpKind.Release, OpKind.Vmsplice, OpKind.IoUringRegister, OpKind.MprotectReadOnly,
            OpKind.MprotectReadWrite, OpKind.DontNeed, OpKind.SwapOut, OpKind.ClearRefs, OpKind.KsmMerge,
        ];
        Assert.All(named, kind => Assert.Contains(kind, kinds));
        var gup = Alphabet.Default.Letters.Where(l => l.IsGup).ToList();
        Assert.Contains(gup, l => (l.Flags & FollFlags.Write) == 0 && (l.Flags & FollFlags.BreakCow) == 0);
        Assert.Contains(gup, l => (l.Flags & FollFlags.Write) != 0);
        Assert.Contains(gup, l => (l.Flags & FollFlags.Longterm) != 0);
        Assert.Contains(gup, l => (l.Flags & FollFlags.BreakCow) != 0);
        Assert.Equal(Enum.GetValues<OpKind>().Length, Alphabet.Full.Letters.Select(l => l.Kind).Distinct().Count());
    }

    [Theory]
    [InlineData("forks", "unknown operation 'forks'")]
    [InlineData("fork:write", "'fork' takes no flags")]
    [InlineData("pin_user_pages:writ", "unknown FOLL flag 'writ'")]
    [InlineData("fork,fork", "'fork' appears twice")]
    [InlineData(",", "at least one letter")]
    public void A_bad_alphabet_is_refused_with_the_reason(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Alphabet.Parse(text));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(201, 3, 2, "the depth must be between 0 and 200")]
    [InlineData(3, 40, 2, "between 1 and 31 processes")]
    [InlineData(3, 3, 200, "between 0 and 127 references")]
    public void Bounds_the_compact_encodings_cannot_hold_are_refused(int depth, int processes, int references, string message)
    {
        var options = new ExplorationOptions { Era = Era.AnonExclusive, MaxDepth = depth, Universe = Universe.BasePages(processes, 2, references) };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(message, error.Message);
    }
}
