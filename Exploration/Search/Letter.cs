using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// One letter of an exploration alphabet: an operation kind and, for GUP, its FOLL flags. At each state the explorer
/// instantiates it over every choice that exists there: every live process, every slot that process maps, every held
/// reference the step can use.
/// </summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Flags">The FOLL flags of a GUP letter (None otherwise).</param>
public sealed record Letter(OpKind Kind, FollFlags Flags = FollFlags.None)
{
    private static readonly (OpKind Kind, string Name)[] Names =
    [
        (OpKind.Fork, "fork"), (OpKind.Exit, "exit"), (OpKind.Fill, "fill"), (OpKind.Read, "read"),
        (OpKind.GetUserPages, "get_user_pages"), (OpKind.GetUserPagesFast, "get_user_pages_fast"),
        (OpKind.GetUserPagesRemote, "get_user_pages_remote"), (OpKind.PinUserPages, "pin_user_pages"),
        (OpKind.PinUserPagesFast, "pin_user_pages_fast"), (OpKind.PinUserPagesRemote, "pin_user_pages_remote"),
        (OpKind.Vmsplice, "vmsplice"), (OpKind.Release, "release"), (OpKind.DeviceRead, "device_read"),
        (OpKind.DeviceWrite, "device_write"), (OpKind.PipeRead, "pipe_read"), (OpKind.Munmap, "munmap"),
        (OpKind.MprotectReadOnly, "mprotect_r"), (OpKind.MprotectReadWrite, "mprotect_rw"), (OpKind.DontNeed, "dontneed"),
        (OpKind.SwapOut, "pageout"), (OpKind.Mergeable, "mergeable"), (OpKind.KsmMerge, "ksm_merge"),
        (OpKind.ClearRefs, "clear_refs"), (OpKind.UffdWpOn, "uffd_wp_on"), (OpKind.UffdWpOff, "uffd_wp_off"),
        (OpKind.IoUringRegister, "io_uring_register"), (OpKind.Collapse, "collapse"), (OpKind.Split, "split"),
    ];

    private static readonly (FollFlags Flag, string Name)[] FlagNames =
    [
        (FollFlags.Write, "write"), (FollFlags.Force, "force"), (FollFlags.Longterm, "longterm"),
        (FollFlags.NoFault, "nofault"), (FollFlags.BreakCow, "break_cow"),
    ];

    /// <summary>Whether the letter is a get_user_pages / pin_user_pages call (and so has flags).</summary>
    public bool IsGup => Kind is >= OpKind.GetUserPages and <= OpKind.PinUserPagesRemote;

    /// <summary>The letter's name: the operation, and for GUP its flags after a colon joined by '+', e.g. <c>pin_user_pages_fast:write+longterm</c>.</summary>
    public override string ToString()
    {
        var name = Names.First(n => n.Kind == Kind).Name;
        if (!IsGup)
        {
            return name;
        }

        var flags = FlagNames.Where(f => (Flags & f.Flag) != 0).Select(f => f.Name).ToList();
        return flags.Count == 0 ? name : $"{name}:{string.Join('+', flags)}";
    }

    /// <summary>Parses a letter name (see <see cref="ToString"/>); GUP letters without flags are read-only.</summary>
    /// <param name="text">The name, e.g. <c>fork</c> or <c>pin_user_pages:write+longterm</c>.</param>
    /// <exception cref="FormatException">An unknown operation or flag, or flags on a letter that takes none.</exception>
    public static Letter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':', 2);
        var known = Names.Where(n => n.Name == parts[0]).ToList();
        if (known.Count == 0)
        {
            throw new FormatException($"unknown operation '{parts[0]}' (known: {string.Join(", ", Names.Select(n => n.Name))})");
        }

        var letter = new Letter(known[0].Kind);
        if (parts.Length == 1)
        {
            return letter;
        }

        if (!letter.IsGup)
        {
            throw new FormatException($"'{parts[0]}' takes no flags (only the get_user_pages and pin_user_pages letters do)");
        }

        var flags = FollFlags.None;
        foreach (var name in parts[1].Split('+'))
        {
            var flag = FlagNames.Where(f => f.Name == name).Select(f => (FollFlags?)f.Flag).FirstOrDefault()
                ?? (name == "ro" ? FollFlags.None : throw new FormatException($"unknown FOLL flag '{name}' in '{text}' (known: ro, {string.Join(", ", FlagNames.Select(f => f.Name))})"));
            flags |= flag;
        }

        return letter with { Flags = flags };
    }
}
