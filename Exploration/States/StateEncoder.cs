using System.IO.Hashing;
using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// The canonical encoding of a run's state: two states with the same encoding have the same future — the same steps
/// enabled, each leading to states with equal encodings and the same oracle verdicts — so the explorer visits one of
/// them. What is renamed or left out, and why that keeps the future (EncodedFields lists every field of the model and
/// of the run with its decision, and a test keeps that list complete):
/// <list type="bullet">
/// <item>Process ids: a process is its rank in creation order among the processes that still matter (alive, or owner
/// of a held reference, whose shadow the isolation oracle reads). Creation order is kept, not quotiented away: KSM's
/// scan and rmap walks visit processes in that order, so permuted processes are not interchangeable in the model.</item>
/// <item>Page frames and swap slots: numbered by first visit in a fixed walk (processes, their VMAs and entries in
/// address order, held references in the order taken, then what those folios and slots refer to, then the lru_add
/// batch). Pfns, slot ids and allocator positions only name things.</item>
/// <item>Page contents: every write stores a fresh value, so only which pages hold equal values matters: values are
/// numbered by first visit (0, the zero fill, keeps its number). Contents nobody can read any more (a folio only the
/// lru_add batch still holds) are left out.</item>
/// <item>The oracles' shadow: a value a process knows but that no readable page holds any more can never be read
/// again, so it is dropped from the known sets; an expected value no page holds is only "lost" (no read can equal it);
/// mapping generations only matter as "the reference's mapping is still the current one".</item>
/// <item>Counters that only name things (next pid, next value, next reference id, write_protect_seq, the event
/// log) and the accessed bit (pte_young, which the model sets but never reads) are left out.</item>
/// </list>
/// Encodings are hashed to 128 bits (XxHash128) for the visited set; see docs/reliability.md on collisions.
/// </summary>
internal sealed class StateEncoder
{
    private const int Unnamed = -1;
    private const uint Lost = 0xFFFF;
    private const uint Absent = 0xFFFE;

    private readonly Dictionary<Folio, int> _folioIds = new(ReferenceEqualityComparer.Instance);
    private readonly List<Folio> _folios = [];
    private readonly Dictionary<int, int> _swapIds = [];
    private readonly List<int> _swaps = [];
    private readonly int[] _valueIds = new int[256];
    private readonly int[] _processRanks = new int[64];
    private readonly List<int> _knownIds = [];
    private readonly byte[] _page = new byte[PageGeometry.PageSize];
    private byte[] _buffer = new byte[1024];
    private int _length;
    private int _nextValueId;
    private int _describedFolios;
    private int _describedSwaps;
    private bool _observable;
    private ModelRun _run = null!;

    /// <summary>The 128-bit hash of the run's canonical encoding.</summary>
    public UInt128 Hash(ModelRun run) => XxHash128.HashToUInt128(Encode(run));

    /// <summary>The canonical encoding (valid until the next call).</summary>
    public ReadOnlySpan<byte> Encode(ModelRun run)
    {
        Reset(run);
        var relevant = RankProcesses();
        Write((uint)relevant);
        for (var pid = 0; pid < run.Processes.Count; pid++)
        {
            if (_processRanks[pid] >= 0)
            {
                EncodeProcess(run.Processes[pid], run.Shadows[pid]);
            }
        }

        Write((uint)run.Held.Count);
        foreach (var held in run.Held)
        {
            EncodeReference(held);
        }

        // What the walk so far reached can be read (by a process, a device or a pipe, also after a swap-in); what only
        // the lru_add batch holds cannot.
        DescribeReached();
        _observable = false;
        var batch = run.Machine.Memory.LruAddBatch;
        Write((uint)batch.Count);
        foreach (var folio in batch)
        {
            Write(FolioId(folio));
        }

        DescribeReached();
        EncodeMachineCounters(run.Machine);
        for (var pid = 0; pid < run.Processes.Count; pid++)
        {
            if (_processRanks[pid] >= 0)
            {
                EncodeShadow(run.Shadows[pid]);
            }
        }

        return _buffer.AsSpan(0, _length);
    }

    private void Reset(ModelRun run)
    {
        _run = run;
        _length = 0;
        _folioIds.Clear();
        _folios.Clear();
        _swapIds.Clear();
        _swaps.Clear();
        Array.Fill(_valueIds, Unnamed);
        _valueIds[0] = 0;
        _nextValueId = 1;
        _describedFolios = 0;
        _describedSwaps = 0;
        _observable = true;
    }

    /// <summary>Ranks the processes that matter in creation order; the others get -1.</summary>
    private int RankProcesses()
    {
        var processes = _run.Processes;
        if (processes.Count > _processRanks.Length)
        {
            throw new InvalidOperationException($"the encoder handles at most {_processRanks.Length} processes per run");
        }

        var rank = 0;
        for (var pid = 0; pid < processes.Count; pid++)
        {
            var matters = _run.Shadows[pid].Alive;
            foreach (var held in _run.Held)
            {
                matters |= held.Owner == pid;
            }

            _processRanks[pid] = matters ? rank++ : -1;
        }

        return rank;
    }

    private void EncodeProcess(VmProcess process, ProcessShadow shadow)
    {
        Write(shadow.Alive);
        if (!shadow.Alive)
        {
            return;
        }

        Write(process.IsAlive);
        Write(process.HasPinned);
        var areas = process.Areas;
        Write((uint)areas.Count);
        foreach (var vma in areas)
        {
            EncodeVma(vma);
        }
    }

    private void EncodeVma(VmArea vma)
    {
        if (vma.File is not null)
        {
            throw new NotSupportedException("the explorer's universes map anonymous memory only; a file VMA has page-cache state the encoder does not cover");
        }

        Write(vma.Start);
        Write(vma.End);
        Write((uint)vma.Flags);
        WriteSigned(vma.PgOff);
        Write((uint)vma.HugetlbOrder);
        Write(vma.HugetlbReservationOwner);
        Write((uint)vma.HugetlbReservedPages);
        Write(vma.HugetlbPagesStolen);

        // Runs of equal entries (a PMD mapping is 512 entries of one folio at successive indexes, which the relative
        // index makes equal), so a THP costs a few bytes.
        var ptes = vma.Ptes;
        var i = 0;
        while (i < ptes.Length)
        {
            var (tag, a, b) = Describe(ptes[i], i);
            var run = 1;
            while (i + run < ptes.Length && Describe(ptes[i + run], i + run) == (tag, a, b))
            {
                run++;
            }

            Write((uint)run);
            Write(tag);
            Write(a);
            WriteSigned(b);
            i += run;
        }
    }

    /// <summary>An entry: none, present (bits, folio, index relative to the entry's position) or swap (bits, slot).</summary>
    private (uint Tag, uint A, long B) Describe(in Pte pte, int position)
    {
        var bits = (uint)(pte.Bits & ~PteBits.Young);
        if (pte.Folio is { } folio)
        {
            return (1 | (bits << 2), FolioId(folio), (long)pte.Index - position);
        }

        return pte.SwapSlot != 0 ? (2 | (bits << 2), SwapId(pte.SwapSlot), 0) : (0, 0, 0);
    }

    private void EncodeReference(HeldReference held)
    {
        Write((uint)held.TakenBy);
        Write((uint)_processRanks[held.Owner]);
        Write((uint)held.Slot);
        Write(_run.Shadows[held.Owner].Generation[held.Slot] == held.Generation);
        Write((uint)held.Flags);
        Write(held.ReadOnlyCoherencePromised);
        if (held.Pipe is { } pipe)
        {
            Write(0u);
            Write((uint)pipe.CapacityBuffers);
            foreach (var (page, offset, length) in pipe.QueuedBuffers)
            {
                Write(1u);
                Write(FolioId(page.Folio));
                Write((uint)page.Index);
                Write((uint)offset);
                Write((uint)length);
            }

            Write(0u);
            return;
        }

        var handle = held.Handle!;
        Write(held.Buffer is null ? 1u : 2u);
        Write(handle.IsReleased);
        Write((uint)handle.Kind);
        Write((uint)handle.Flags);
        var pages = handle.HeldPages;
        Write((uint)pages.Length);
        foreach (var page in pages)
        {
            Write(FolioId(page.Folio));
            Write((uint)page.Index);
        }
    }

    /// <summary>Describes every folio and swap slot numbered but not yet described, in number order, numbering what they refer to.</summary>
    private void DescribeReached()
    {
        while (_describedFolios < _folios.Count || _describedSwaps < _swaps.Count)
        {
            if (_describedFolios < _folios.Count)
            {
                DescribeFolio(_folios[_describedFolios++]);
            }
            else
            {
                DescribeSwap(_swaps[_describedSwaps++]);
            }
        }
    }

    private void DescribeFolio(Folio folio)
    {
        if (folio.File is not null)
        {
            throw new NotSupportedException("a page-cache folio: the explorer's universes map anonymous memory only");
        }

        Write((uint)folio.Kind);
        Write((uint)folio.Order);
        Write(folio.IsHugetlb);
        Write(folio.IsKsm);
        Write(folio.InSwapCache);
        Write(folio.OnLru);
        Write(folio.Dirty);
        Write(folio.Freed);
        Write(folio.IsLocked);
        WriteSigned(folio.Index);
        WriteSigned(folio.RefCount);
        WriteSigned(folio.EntireMapCount);
        WriteSigned(folio.PinCount);
        WriteSigned(folio.GupGets);
        WriteSigned(folio.GupPins);
        Write(_observable);
        var pages = folio.Pages;
        var i = 0;
        while (i < pages.Length)
        {
            var run = 1;
            while (i + run < pages.Length && SamePage(pages[i], pages[i + run]))
            {
                run++;
            }

            Write((uint)run);
            EncodePage(folio, i);
            i += run;
        }
    }

    private static bool SamePage(in Subpage a, in Subpage b) =>
        a.IsUniform && b.IsUniform && a.Fill == b.Fill && a.MapCount == b.MapCount && a.AnonExclusive == b.AnonExclusive
        && a.SwapSlot == 0 && b.SwapSlot == 0 && a.Gets == b.Gets && a.Pins == b.Pins;

    private void EncodePage(Folio folio, int index)
    {
        ref readonly var page = ref folio.Pages[index];
        WriteSigned(page.MapCount);
        Write(page.AnonExclusive);
        WriteSigned(page.Gets);
        WriteSigned(page.Pins);
        Write(page.SwapSlot == 0 ? 0 : SwapId(page.SwapSlot) + 1);
        if (_observable)
        {
            if (page.IsUniform)
            {
                Write(0u);
                Write(ValueId(page.Fill));
            }
            else
            {
                folio.ReadBytes(index, 0, _page);
                WriteContents(_page);
            }
        }
    }

    private void DescribeSwap(int slotId)
    {
        var memory = _run.Machine.Memory;
        var slot = memory.Swap.Get(slotId);
        WriteSigned(slot.SwapCount);
        Write(slot.CachedFolio is { } cached ? FolioId(cached) + 1 : 0);
        Write((uint)slot.CachedIndex);
        Write(_observable);
        if (_observable)
        {
            slot.Contents.Read(memory.Frames, 0, _page);
            WriteContents(_page);
        }
    }

    /// <summary>A page's bytes as runs of value numbers (a non-uniform page; the steps only ever write whole pages).</summary>
    private void WriteContents(byte[] bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var run = bytes.AsSpan(i).IndexOfAnyExcept(bytes[i]);
            run = run < 0 ? bytes.Length - i : run;
            Write((uint)run);
            Write(ValueId(bytes[i]));
            i += run;
        }
    }

    private void EncodeMachineCounters(Machine machine)
    {
        foreach (var order in PageGeometry.ThpOrders)
        {
            Write((uint)machine.ThpModeOfOrder(order));
        }

        Write((uint)machine.LiveFolioCount);
        Write((ulong)machine.SwapPagesUsed);
        Write((uint)machine.HugetlbPool2M.Free);
        Write((uint)machine.HugetlbPool2M.Reserved);
        Write((uint)machine.HugetlbPool1G.Free);
        Write((uint)machine.HugetlbPool1G.Reserved);
    }

    private void EncodeShadow(ProcessShadow shadow)
    {
        for (var slot = 0; slot < shadow.Expected.Length; slot++)
        {
            Write(shadow.Expected[slot] is not { } expected ? Absent : _valueIds[expected] == Unnamed ? Lost : (uint)_valueIds[expected]);
            _knownIds.Clear();
            foreach (var value in shadow.Known[slot].Members())
            {
                if (value != 0 && _valueIds[value] != Unnamed)
                {
                    _knownIds.Add(_valueIds[value]);
                }
            }

            _knownIds.Sort();
            Write((uint)_knownIds.Count);
            foreach (var id in _knownIds)
            {
                Write((uint)id);
            }
        }
    }

    private uint FolioId(Folio folio) => Number(_folioIds, _folios, folio);

    private uint SwapId(int slot) => Number(_swapIds, _swaps, slot);

    /// <summary>The number of <paramref name="item"/>: the next one when this walk sees it for the first time.</summary>
    private static uint Number<T>(Dictionary<T, int> numbers, List<T> inOrder, T item)
        where T : notnull
    {
        if (!numbers.TryGetValue(item, out var number))
        {
            number = inOrder.Count;
            numbers.Add(item, number);
            inOrder.Add(item);
        }

        return (uint)number;
    }

    private uint ValueId(byte value)
    {
        if (_valueIds[value] == Unnamed)
        {
            _valueIds[value] = _nextValueId++;
        }

        return (uint)_valueIds[value];
    }

    private void Write(bool value) => Write(value ? 1u : 0u);

    private void Write(uint value) => Write((ulong)value);

    private void WriteSigned(long value) => Write((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>LEB128: small numbers (almost all of them) take one byte.</summary>
    private void Write(ulong value)
    {
        if (_length + 10 > _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }
}
