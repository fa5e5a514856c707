namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// One statically linked program to run in the guest: it runs as root in /tmp with stdin from /dev/null, after the
/// batch's earlier programs in the same boot (hugetlb pages, swap and sysctls are shared, processes are not).
/// </summary>
internal sealed record GuestProgram
{
    /// <summary>Creates a program entry; the binary must exist and be statically linked (the guest has no libc).</summary>
    /// <param name="name">A name unique in its batch: letters, digits, '.', '_' and '-'.</param>
    /// <param name="binary">Path of the static binary on the host.</param>
    /// <param name="timeout">How long it may run in the guest before SIGKILL (default 60 s).</param>
    /// <param name="arguments">Its command-line arguments.</param>
    public GuestProgram(string name, string binary, TimeSpan? timeout = null, IReadOnlyList<string>? arguments = null)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException($"guest program name '{name}' must be letters, digits, '.', '_' or '-'", nameof(name));
        Name = name;
        Binary = binary;
        Timeout = timeout ?? TimeSpan.FromSeconds(60);
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a guest program needs a positive timeout");
        Arguments = arguments ?? [];
    }

    public string Name { get; }

    public string Binary { get; }

    public TimeSpan Timeout { get; }

    public IReadOnlyList<string> Arguments { get; }
}
