using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// What the oracles make of a view (a process's read of a slot, a device's or a pipe's read of a reference), shared by
/// the steps that read and by the explorer's observation of every view after every step.
/// </summary>
internal sealed partial class ModelRun
{
    /// <summary>The page a peek reads into (one per thread: the explorer's workers step runs in parallel).</summary>
    [ThreadStatic]
    private static byte[]? t_page;

    /// <summary>A failed judgement: the oracle, what was seen, and how a scenario checks it.</summary>
    private sealed record Judged(Oracle Oracle, string Detail, FailedCheck Check);

    /// <summary>
    /// The explorer's observation after every step: every live process looks at the first page of every slot it maps,
    /// every device at the page its handle holds, every pipe at what it would read — without faulting, consuming or
    /// changing anything — and the same oracles judge what they see as when a step reads. A violation therefore counts
    /// at the step that made it visible, and reads, device reads and pipe reads need not be steps of their own. Devices
    /// read the held page directly rather than through the handle's API, whose monitor on the page array costs a sync
    /// block once the state copier has hashed that array (the bytes are the same).
    /// </summary>
    private void ObserveEveryView()
    {
        if (!_observeEveryView)
        {
            return;
        }

        for (var pid = 0; pid < _processes.Count; pid++)
        {
            var shadow = _shadows[pid];
            for (var slot = 0; shadow.Alive && slot < _slotAddress.Length; slot++)
            {
                if (shadow.Expected[slot] is not null && PeekUser(_processes[pid], _slotAddress[slot]) is { } bytes)
                {
                    Report(JudgeProcessView(pid, slot, bytes));
                }
            }
        }

        foreach (var held in _held)
        {
            if (held.Pipe is { } pipe)
            {
                Report(JudgeReference(held, PeekPipe(pipe)));
            }
            else if (held.Handle is { IsReleased: false } handle)
            {
                var page = handle.HeldPages[0];
                var bytes = t_page ??= new byte[PageGeometry.PageSize];
                page.Folio.ReadBytes(page.Index, 0, bytes);
                Report(JudgeReference(held, bytes));
            }
        }
    }

    private void Report(Judged? judged)
    {
        if (judged is null || !_targets.Contains(judged.Oracle))
        {
            return;
        }

        if (_violation is null && _executed.Count > 0 && _executed[^1].Check is null)
        {
            _executed[^1] = _executed[^1] with { Check = judged.Check with { AfterStep = true } };
        }

        Fail(judged.Oracle, judged.Detail);
    }

    /// <summary>A process's read of a slot: only values it wrote, inherited or received (isolation), and exactly its last one (process view).</summary>
    private Judged? JudgeProcessView(int pid, int slot, byte[] bytes)
    {
        var shadow = _shadows[pid];
        var expected = shadow.Expected[slot]!.Value;
        var different = bytes.AsSpan().IndexOfAnyExcept(expected);
        var seen = different < 0 ? expected : bytes[different];
        if (!shadow.Known[slot].Contains(seen))
        {
            return new Judged(Oracle.Isolation, $"p{pid} reads {seen} in s{slot}, which it never wrote or inherited",
                new FailedCheck(Oracle.Isolation, $"isolation: p{pid} never sees another process's data", $"read p{pid} s{slot} 4K != {seen}"));
        }

        return seen == expected ? null
            : new Judged(Oracle.ProcessView, $"p{pid} reads {seen} in s{slot}, expected {expected}",
                new FailedCheck(Oracle.ProcessView, $"process view: p{pid} reads its own data", $"read p{pid} s{slot} 4K == {expected}"));
    }

    /// <summary>A device's or pipe's read of a reference: only values its owner wrote, inherited or received, except the hugetlb leak cow.c marks XFAIL.</summary>
    private Judged? JudgeReference(HeldReference held, ReadOnlySpan<byte> bytes)
    {
        if (FirstForeign(bytes, _shadows[held.Owner].Known[held.Slot]) is not { } leaked)
        {
            return null;
        }

        if (IsExemptHugetlbGetLeak(held))
        {
            // cow.c marks the hugetlb vmsplice/FOLL_GET leak '# XFAIL': hugetlb_wp still reuses by mapcount.
            _exemptHugetlbGetLeaks++;
            return null;
        }

        var (query, prelude) = held.Pipe is not null ? ($"pipe_read pipe{held.Id}", null)
            : held.Buffer is not null ? ($"file_read f{held.Id} 4K", $"io_uring_write_fixed b{held.Id} f{held.Id}")
            : ($"device_read h{held.Id}", (string?)null);
        return new Judged(Oracle.Isolation, $"{query} sees {leaked}, which p{held.Owner} never wrote or inherited in s{held.Slot}",
            new FailedCheck(Oracle.Isolation, $"isolation: a reference of p{held.Owner} never sees another process's data", $"{query} != {leaked}") { Prelude = prelude });
    }

    /// <summary>The first byte that is not in <paramref name="known"/>, looking at each run of equal bytes once.</summary>
    private static byte? FirstForeign(ReadOnlySpan<byte> bytes, in ByteSet known)
    {
        for (var i = 0; i < bytes.Length;)
        {
            if (!known.Contains(bytes[i]))
            {
                return bytes[i];
            }

            var run = bytes[i..].IndexOfAnyExcept(bytes[i]);
            i = run < 0 ? bytes.Length : i + run;
        }

        return null;
    }

    /// <summary>
    /// The documented exception: since PageAnonExclusive (5.19) every FOLL_GET leak is fixed but hugetlb's, because
    /// hugetlb_wp still reuses by mapcount (cow.c marks it '# XFAIL'). Older eras leak everywhere and get no exemption.
    /// </summary>
    private bool IsExemptHugetlbGetLeak(HeldReference held) =>
        EraTraits.TracksAnonExclusive(_era) && _universe.Slots[held.Slot] == SlotKind.Hugetlb && held.IsGetReference;

    /// <summary>
    /// What a CPU read of the page at <paramref name="address"/> would return, without the fault: the mapped page, the
    /// swapped-out page (from the swapcache or the slot), or zeros for an empty entry (do_anonymous_page maps the zero
    /// page). Null where the read would not return data: no VMA, no PROT_READ, or a hugetlb page the reservation owner
    /// took back (the refault SIGBUSes).
    /// </summary>
    private byte[]? PeekUser(VmProcess process, ulong address)
    {
        var vma = process.FindVma(address);
        if (vma is null || !vma.Has(VmFlags.Read) || (vma.IsHugetlb && vma.HugetlbPagesStolen))
        {
            return null;
        }

        var bytes = t_page ??= new byte[PageGeometry.PageSize];
        var pte = process.ReadEntry(vma.Ptes, vma.IndexOf(address));
        if (pte.IsPresent)
        {
            pte.Folio!.ReadBytes(pte.Index, 0, bytes);
        }
        else if (pte.IsNone)
        {
            bytes.AsSpan().Clear();
        }
        else
        {
            var swap = _machine.Memory.Swap;
            using (swap.Lock.Lock())
            {
                var slot = swap.Get(pte.SwapSlot);
                if (slot.CachedFolio is { } cached)
                {
                    cached.ReadBytes(slot.CachedIndex, 0, bytes);
                }
                else
                {
                    slot.Contents.Read(_machine.Memory.Frames, 0, bytes);
                }
            }
        }

        return bytes;
    }

    /// <summary>What a read of the pipe would return, without consuming it (the explorer's pipes hold one page each).</summary>
    private static ReadOnlySpan<byte> PeekPipe(Pipe pipe)
    {
        var bytes = t_page ??= new byte[PageGeometry.PageSize];
        var length = 0;
        foreach (var (page, offset, count) in pipe.QueuedBuffers)
        {
            if (length + count > bytes.Length)
            {
                Array.Resize(ref bytes, 2 * (length + count));
                t_page = bytes;
            }

            page.Folio.ReadBytes(page.Index, offset, bytes.AsSpan(length, count));
            length += count;
        }

        return bytes.AsSpan(0, length);
    }
}
