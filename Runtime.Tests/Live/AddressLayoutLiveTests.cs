using System.Globalization;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Live;

/// <summary>
/// The model's get_unmapped_area against this machine's kernel: the same mmap/munmap/mremap steps run in a static C
/// program (probes/layout.c) and in the model, whose process first gets stand-ins for the program's [vvar]/[vdso]
/// mappings at the same distance below its mmap_base and the same offset modulo 2 MiB (THP alignment depends on it).
/// Every address is then compared relative to that top.
/// </summary>
public sealed class AddressLayoutLiveTests
{
    private const ulong Page = PageGeometry.PageSize;
    private const ulong Pmd = PageGeometry.PmdSize;

    public static TheoryData<string> Sequences => new()
    {
        // consecutive mappings, hole reuse, a hole too small, PMD alignment of 2/4 MiB but not 3 MiB, shmem, mremap
        "m 4096 m 4096 m 12288 u 1 0 4096 m 4096 u 2 4096 4096 m 8192 m 4096 m 0x200000 m 0x300000 m 0x400000 m 4096 s 0x200000 r 0 8192",
        "m 0x200000 m 4096 m 0x200000 u 0 0 0x200000 m 0x100000 m 0x200000 m 0x600000",
        "m 8192 m 4096 u 0 0 4096 m 4096 m 4096 r 1 0x200000 m 4096",
    };

    [SkippableTheory]
    [MemberData(nameof(Sequences))]
    public void Mappings_land_where_the_kernel_puts_them(string sequence)
    {
        var steps = sequence.Split(' ');
        var (exit, output) = HostProbe.Run("layout.c", steps);
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        var kernelVmas = lines.Where(l => l[0] == "vma").Select(l => (Start: Hex(l[1]), End: Hex(l[2]))).ToList();
        var kernelAddresses = lines.Where(l => l[0] == "at").Select(l => Hex(l[1])).ToList();
        Assert.NotEmpty(kernelVmas); // [vvar] and [vdso]
        Assert.NotEmpty(kernelAddresses);
        var kernelTop = kernelVmas.Max(v => v.End);

        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("layout");
        var modelTop = UnmappedArea.MmapBase - Pmd + (kernelTop % Pmd);
        foreach (var (start, end) in kernelVmas)
            process.Mmap(end - start, Prot.None, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, address: start - kernelTop + modelTop);
        process.Mmap(UnmappedArea.MmapBase - modelTop, Prot.None, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, address: modelTop);

        var modelAddresses = Run(process, steps);
        Assert.Equal(kernelAddresses.Select(a => (long)(a - kernelTop)), modelAddresses.Select(a => (long)(a - modelTop)));
    }

    /// <summary>The layout.c steps on the model.</summary>
    private static List<ulong> Run(VmProcess process, string[] steps)
    {
        var at = new List<ulong>();
        for (var i = 0; i < steps.Length; i++)
        {
            switch (steps[i])
            {
                case "m" or "s":
                    var flags = (steps[i] == "s" ? MapFlags.Shared : MapFlags.Private) | MapFlags.Anonymous;
                    at.Add(process.Mmap(Number(steps[++i]), Prot.Read | Prot.Write, flags));
                    break;
                case "u":
                    var which = at[(int)Number(steps[++i])];
                    var offset = Number(steps[++i]);
                    process.Munmap(which + offset, Number(steps[++i]));
                    break;
                case "r":
                    var old = at[(int)Number(steps[++i])];
                    at.Add(process.Mremap(old, Page, Number(steps[++i]), MremapFlags.MayMove));
                    break;
                default:
                    throw new ArgumentException($"unknown step '{steps[i]}'");
            }
        }

        return at;
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static ulong Number(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Hex(text[2..]) : ulong.Parse(text, CultureInfo.InvariantCulture);
}
