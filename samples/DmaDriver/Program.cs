// A DMA-style driver written against the CowGuard package, the way a user would.
//
// It shows the one rule CowGuard enforces: a page reference that neither breaks COW (FollFlags.Write /
// FollFlags.BreakCow) nor carries a [WrongSideCowOk("why")] justification is reported (CG0001). Lines marked
// "expect CGxxxx" are where the analyzer reports; the end-to-end tests read these markers.
using CowGuard.VmModel;

const ulong PageSize = 4096;

foreach (var era in Era.All)
{
    var machine = new Machine(era);
    var parent = machine.CreateProcess("parent");
    var buffer = parent.Mmap(PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
    parent.Fill(buffer, PageSize, 0x11);
    var child = parent.Fork("child");

    // The bug class of CVE-2020-29374: a read-only reference on a page that fork() made COW-shared. When the parent
    // writes, one side gets a new page; which side the reference stays on depends on the era.
    using var unsafeReference = Gup.GetUserPages(parent, buffer, 1, FollFlags.None); // expect CG0001
    // The fix CowGuard offers: break COW first, so the reference is on the parent's own page.
    using var safeReference = Gup.GetUserPages(parent, buffer, 1, FollFlags.BreakCow);

    parent.Fill(buffer, PageSize, 0x22);
    Console.WriteLine(
        $"{era,-14} parent wrote 0x22: unsafe reference sees 0x{unsafeReference.ReadByte(0):x2}, " +
        $"BreakCow reference sees 0x{safeReference.ReadByte(0):x2}, child still reads 0x{child.ReadByte(buffer):x2}");

    Driver.StartDma(parent, buffer);
    Console.WriteLine($"{era,-14} checksum of the child's page: 0x{Driver.Checksum(child, buffer):x8}");
}

/// <summary>Driver code: pins for DMA, hashes pages, and wraps GUP for its callers.</summary>
internal static class Driver
{
    /// <summary>A device writes into the buffer: a write pin breaks COW first, so no diagnostic.</summary>
    public static void StartDma(VmProcess process, ulong buffer)
    {
        using var pins = PinForDevice(process, buffer, FollFlags.Write | FollFlags.Longterm);
        pins.Write(0, [0xd0, 0x0d]);

        // A long-term read-only pin that forgot BreakCow: reported at the call of the wrapper, because the wrapper
        // forwards its caller's flags ([GupFlags]).
        using var readPin = PinForDevice(process, buffer, FollFlags.Longterm); // expect CG0001
        _ = readPin.ReadByte(0);
    }

    /// <summary>Hashes a page for a debug dump.</summary>
    [WrongSideCowOk("Only hashes the page for a debug dump; a stale copy after a later COW gives a stale hash, never corrupts data.")]
    public static uint Checksum(VmProcess process, ulong address)
    {
        using var reference = Gup.GetUserPages(process, address, 1, FollFlags.None);
        uint hash = 2166136261;
        foreach (var value in reference.ReadBytes(0, 64))
        {
            hash = (hash ^ value) * 16777619;
        }

        return hash;
    }

    /// <summary>A wrapper: the flags come from the caller, so CowGuard checks the callers instead of this call.</summary>
    private static PinnedPages PinForDevice(VmProcess process, ulong address, [GupFlags] FollFlags flags) =>
        Gup.PinUserPagesFast(process, address, 1, flags);
}
