using CowGuard.Exploration;
using CowGuard.VmModel;
using CsCheck;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// CsCheck generators of operation sequences. Weights favour the steps that create sharing and references (fork,
/// writes, GUP, vmsplice) and the ones that change mapcount or write protection (munmap, exit, DONTNEED, mprotect,
/// swap, KSM, clear_refs, uffd-wp), because the documented violations live in their interplay.
/// </summary>
internal static class OpGenerator
{
    public const int MaxProcesses = 4;

    /// <summary>The FOLL flags GUP calls draw from; invalid combinations (Write|BreakCow, Longterm on FOLL_GET) are rejected by the model and skipped.</summary>
    private static readonly FollFlags[] FlagBits = [FollFlags.Write, FollFlags.Force, FollFlags.Longterm, FollFlags.BreakCow, FollFlags.NoFault];

    private static readonly Gen<int> Process = Gen.Int[0, MaxProcesses - 1];
    private static readonly Gen<int> Slot = Gen.Int[0, Universe.PropertyTests.Slots.Count - 1];
    private static readonly Gen<int> Handle = Gen.Int[0, 7];

    private static readonly Gen<FollFlags> Flags = Gen.Int[0, (1 << FlagBits.Length) - 1].Select(mask =>
        FlagBits.Where((_, i) => (mask & (1 << i)) != 0).Aggregate(FollFlags.None, (all, bit) => all | bit));

    private static Gen<Op> OnSlot(OpKind kind) => Gen.Select(Process, Slot, (p, s) => new Op(kind, p, s, FollFlags.None, 0));

    private static Gen<Op> OnProcess(OpKind kind) => Process.Select(p => new Op(kind, p, 0, FollFlags.None, 0));

    private static Gen<Op> OnHandle(OpKind kind) => Handle.Select(h => new Op(kind, 0, 0, FollFlags.None, h));

    private static Gen<Op> Reference(OpKind kind) => Gen.Select(Process, Slot, Flags, (p, s, f) => new Op(kind, p, s, f, 0));

    public static readonly Gen<Op> Step = Gen.Frequency(
        (6, OnProcess(OpKind.Fork)),
        (2, OnProcess(OpKind.Exit)),
        (10, OnSlot(OpKind.Fill)),
        (6, OnSlot(OpKind.Read)),
        (2, Reference(OpKind.GetUserPages)),
        (1, Reference(OpKind.GetUserPagesFast)),
        (1, Reference(OpKind.GetUserPagesRemote)),
        (3, Reference(OpKind.PinUserPages)),
        (2, Reference(OpKind.PinUserPagesFast)),
        (1, Reference(OpKind.PinUserPagesRemote)),
        (3, OnSlot(OpKind.Vmsplice)),
        (2, OnHandle(OpKind.Release)),
        (5, OnHandle(OpKind.DeviceRead)),
        (3, OnHandle(OpKind.DeviceWrite)),
        (3, OnHandle(OpKind.PipeRead)),
        (3, OnSlot(OpKind.Munmap)),
        (2, OnSlot(OpKind.MprotectReadOnly)),
        (2, OnSlot(OpKind.MprotectReadWrite)),
        (2, OnSlot(OpKind.DontNeed)),
        (2, OnSlot(OpKind.SwapOut)),
        (1, OnSlot(OpKind.Mergeable)),
        (1, Gen.Const(new Op(OpKind.KsmMerge, 0, 0, FollFlags.None, 0))),
        (1, OnProcess(OpKind.ClearRefs)),
        (1, OnSlot(OpKind.UffdWpOn)),
        (1, OnSlot(OpKind.UffdWpOff)));

    /// <summary>Sequences of 1..<paramref name="maxLength"/> steps.</summary>
    public static Gen<Op[]> Sequence(int maxLength) => Step.Array[1, maxLength];
}
