using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>A page reference (GUP handle) or a vmsplice pipe a run holds, with what the oracles need to judge it.</summary>
internal sealed class HeldReference
{
    public required int Id { get; init; }

    public required OpKind TakenBy { get; init; }

    public required int Owner { get; init; }

    public required int Slot { get; init; }

    /// <summary>The owner's mapping generation of the slot when the reference was taken (munmap, DONTNEED, exit end it).</summary>
    public required int Generation { get; init; }

    public PageReferenceHandle? Handle { get; init; }

    public Pipe? Pipe { get; init; }

    /// <summary>The io_uring fixed buffer whose pins <see cref="Handle"/> is (released by unregistering it).</summary>
    public IoUringFixedBuffer? Buffer { get; init; }

    public FollFlags Flags { get; init; }

    /// <summary>
    /// Whether 5.19+ promises this R/O pin stays coherent: gup_must_unshare unshares a possibly shared anon page for
    /// any R/O FOLL_PIN (a7f226604170), the shared zero page only for FOLL_LONGTERM (84209e87c696, 6.2).
    /// </summary>
    public bool ReadOnlyCoherencePromised { get; init; }

    public bool IsPin => Handle?.Kind == PageReferenceKind.Pin;

    public bool IsWritePin => IsPin && (Flags & FollFlags.Write) != 0;

    /// <summary>FOLL_GET references (GUP get, vmsplice): the kind hugetlb still leaks through in 5.19+ (cow.c XFAIL).</summary>
    public bool IsGetReference => Pipe is not null || Handle?.Kind == PageReferenceKind.Get;
}
