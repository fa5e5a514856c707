namespace CowGuard.Exploration;

/// <summary>
/// The letters an exploration draws every step from. <see cref="Default"/> covers every kind of step issue 19 names
/// (fork, exit, write and read faults, GUP get and pin R/O and R/W, long-term and BreakCow, fast and slow, put/unpin,
/// vmsplice, io_uring, mprotect both ways, MADV_DONTNEED, PAGEOUT, clear_refs, KSM, device writes, pipe reads) once;
/// <see cref="Full"/> adds the remaining GUP entry points and flag combinations, uffd-wp and explicit device reads;
/// <see cref="Core"/> keeps the steps every documented COW/GUP bug needs, so that deeper bounds stay affordable.
/// </summary>
public sealed class Alphabet
{
    private Alphabet(string name, IReadOnlyList<Letter> letters)
    {
        Name = name;
        Letters = letters;
    }

    /// <summary>The preset's name, or "custom".</summary>
    public string Name { get; }

    /// <summary>The letters, in the order the explorer tries them at each state.</summary>
    public IReadOnlyList<Letter> Letters { get; }

    /// <summary>The default alphabet (24 letters).</summary>
    public static Alphabet Default { get; } = Parse("default",
        "fork,exit,fill,read,get_user_pages,get_user_pages_fast:write,get_user_pages:break_cow,pin_user_pages,"
        + "pin_user_pages_fast:write,pin_user_pages:longterm,pin_user_pages:write+longterm,vmsplice,io_uring_register,"
        + "release,device_write,pipe_read,mprotect_r,mprotect_rw,dontneed,pageout,clear_refs,mergeable,ksm_merge,munmap");

    /// <summary>Every letter: all six GUP entry points with R/O, write, long-term, write+long-term and BreakCow,
    /// uffd-wp, device reads, and THP collapse and split (offered only on THP slots).</summary>
    public static Alphabet Full { get; } = Parse("full",
        string.Join(',', new[] { "get_user_pages", "get_user_pages_fast", "get_user_pages_remote" }.SelectMany(g => new[] { g, g + ":write", g + ":break_cow" })
            .Concat(new[] { "pin_user_pages", "pin_user_pages_fast", "pin_user_pages_remote" }.SelectMany(p => new[] { p, p + ":write", p + ":longterm", p + ":write+longterm", p + ":break_cow" }))
            .Prepend("fork,exit,fill,read")
            .Append("vmsplice,io_uring_register,release,device_read,device_write,pipe_read,munmap,mprotect_r,mprotect_rw,dontneed,pageout,clear_refs,mergeable,ksm_merge,uffd_wp_on,uffd_wp_off,collapse,split")));

    /// <summary>
    /// 12 letters: fork, exit, a write fault, a FOLL_GET reference (what vmsplice takes), a R/O pin and a R/W long-term
    /// pin (what io_uring takes), their release, a device write, munmap, mprotect both ways and PAGEOUT — the steps of
    /// B2, B3, B8, B10 and B11 (kernel-cow-gup.md §4).
    /// </summary>
    public static Alphabet Core { get; } = Parse("core",
        "fork,exit,fill,get_user_pages,pin_user_pages,pin_user_pages:write+longterm,release,device_write,munmap,mprotect_r,mprotect_rw,pageout");

    /// <summary>The presets by name.</summary>
    public static IReadOnlyList<Alphabet> Presets { get; } = [Default, Full, Core];

    /// <summary>A preset name, or a comma-separated list of letters (<see cref="Letter.Parse"/>).</summary>
    /// <param name="text">E.g. <c>default</c> or <c>fork,fill,pin_user_pages:write,release</c>.</param>
    /// <exception cref="FormatException">An unknown letter or an empty or repeating list.</exception>
    public static Alphabet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Presets.FirstOrDefault(p => p.Name == text.Trim()) ?? Parse("custom", text);
    }

    /// <summary>Letters as written, comma-separated.</summary>
    public override string ToString() => string.Join(',', Letters);

    private static Alphabet Parse(string name, string text)
    {
        var letters = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Letter.Parse).ToList();
        if (letters.Count == 0)
        {
            throw new FormatException("an alphabet needs at least one letter");
        }

        if (letters.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new FormatException($"'{repeated.Key}' appears twice in the alphabet");
        }

        return new Alphabet(name, letters);
    }
}
