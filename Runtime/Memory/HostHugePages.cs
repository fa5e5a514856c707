using System.Runtime.InteropServices;

namespace CowGuard.VmModel;

/// <summary>
/// The host's transparent huge pages for the model's own big buffers (<see cref="PageFrames"/>' slabs): a random user
/// access touches one frame among hundreds of megabytes, so with 4 KiB host pages nearly every access misses the TLB,
/// and materialising frames faults the host once per 4 KiB (on a virtualised host each fault exits to the hypervisor).
/// madvise(MADV_HUGEPAGE) on the 2 MiB-aligned interior of a pinned, not yet touched array makes the host back it with
/// 2 MiB pages when its THP mode is "madvise" or "always". Only a hint: on other systems, or when the host refuses, the
/// memory stays as it was and nothing else changes.
/// </summary>
internal static class HostHugePages
{
    private const int MadvHugepage = 14;

    /// <summary>Advises the 2 MiB-aligned part of a pinned array (one that never moves) to use huge pages.</summary>
    public static void Advise(byte[] pinned)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var start = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
        var first = PageGeometry.AlignUp(start, PageGeometry.PmdSize);
        var end = PageGeometry.AlignDown(start + (ulong)pinned.Length, PageGeometry.PmdSize);
        if (end <= first)
            return;
        try
        {
            _ = Madvise((nint)first, (nuint)(end - first), MadvHugepage); // EINVAL (a kernel without THP) leaves it as is
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without madvise: the hint is lost, nothing else.
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Madvise(nint address, nuint length, int advice);
}
