using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Live;

/// <summary>
/// The syscall-reachable rows of docs/fidelity.md's error table: probes/errors.c runs each case on this machine's
/// kernel and the model runs the same case; what a process sees (errno name, signal, short count) must match.
/// </summary>
public sealed class ErrorLiveTests
{
    private const ulong Page = PageGeometry.PageSize;
    private static readonly Lazy<Dictionary<string, string>> Kernel = new(RunProbe);

    /// <summary>Each case as the model runs it: its KernelError, "ok", or a byte count.</summary>
    private static readonly Dictionary<string, Func<Machine, VmProcess, string>> ModelCases = new()
    {
        ["vmsplice-unmapped"] = (m, p) => Outcome(() => Vmsplice(p, m.CreatePipe(), Unmapped(p), Page)),
        ["vmsplice-partial"] = (m, p) => Outcome(() => Vmsplice(p, m.CreatePipe(), ThreeThenHole(p) + Page - 100, 4 * Page)),
        ["iouring-register-hole"] = (_, p) => Outcome(() => p.IoUringRegisterBuffer(ThreeThenHole(p), 4 * Page).Dispose()),
        ["iouring-register-readonly"] = (_, p) => Outcome(() =>
        {
            var ro = Fenced(p);
            p.Fill(ro, Page, 1);
            p.Mprotect(ro, Page, Prot.Read);
            p.IoUringRegisterBuffer(ro, Page).Dispose();
        }),
        ["mremap-beyond-vma"] = (_, p) => Outcome(() => p.Mremap(Fenced(p), 2 * Page, 4 * Page, MremapFlags.MayMove)),
        ["munmap-unaligned"] = (_, p) => Outcome(() => p.Munmap(Fenced(p) + 1, Page)),
        ["mprotect-unmapped"] = (_, p) => Outcome(() => p.Mprotect(Unmapped(p), Page, Prot.Read)),
        ["madvise-unmapped"] = (_, p) => Outcome(() => p.Madvise(Unmapped(p), Page, Advice.DontNeed)),
        ["madvise-unknown-advice"] = (_, p) => Outcome(() => p.Madvise(Fenced(p), Page, (Advice)12345)),
        ["read-unmapped"] = (_, p) => Outcome(() => p.ReadByte(Unmapped(p))),
        ["write-readonly"] = (_, p) => Outcome(() =>
        {
            var ro = Fenced(p);
            p.Mprotect(ro, Page, Prot.Read);
            p.WriteByte(ro, 1);
        }),
        ["memfd-beyond-eof"] = (m, p) => Outcome(() =>
        {
            var file = m.CreateMemfd("errors");
            file.Truncate((long)Page);
            var mem = p.Mmap(2 * Page, Prot.Read | Prot.Write, MapFlags.Shared, file);
            p.WriteByte(mem + Page, 1);
        }),
        ["uffd-wp-unregistered"] = (_, p) => Outcome(() => p.UffdWriteProtect(Fenced(p), Page, protect: true)),
    };

    public static TheoryData<string> Cases => new(ModelCases.Keys);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void The_model_gives_what_this_machines_kernel_gives(string name)
    {
        var kernel = Kernel.Value;
        Assert.True(kernel.TryGetValue(name, out var expected), $"probes/errors.c printed no line for {name}");
        Skip.If(expected == "skip", $"this kernel refuses {name}'s feature itself");
        var machine = TestMachines.Create(Era.AnonExclusive);
        Assert.Equal(expected, ModelCases[name](machine, machine.CreateProcess("errors")));
    }

    [SkippableFact]
    public void The_probe_covers_exactly_the_model_cases() =>
        Assert.Equal(ModelCases.Keys.Order(StringComparer.Ordinal), Kernel.Value.Keys.Order(StringComparer.Ordinal));

    private static Dictionary<string, string> RunProbe()
    {
        var (exit, output) = HostProbe.Run("errors.c", []);
        Assert.Equal(0, exit);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2))
            .ToDictionary(l => l[0], l => l[1], StringComparer.Ordinal);
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "ok";
        }
        catch (VmException e)
        {
            return e.KernelError;
        }
    }

    private static string Outcome(Func<long> action)
    {
        try
        {
            return action().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (VmException e)
        {
            return e.KernelError;
        }
    }

    private static string Outcome(Func<ulong> action) => Outcome(() => (long)action());

    private static string Outcome(Func<byte> action) => Outcome(() => { action(); });

    [WrongSideCowOk("no fork follows: the case checks the error or short count of vmsplice")]
    private static long Vmsplice(VmProcess process, Pipe pipe, ulong address, ulong length) => process.Vmsplice(pipe, address, length);

    private static ulong Unmapped(VmProcess process)
    {
        var mem = process.Mmap(3 * Page, Prot.None, MapFlags.Private | MapFlags.Anonymous);
        process.Munmap(mem + Page, Page);
        return mem + Page;
    }

    private static ulong Fenced(VmProcess process)
    {
        var mem = process.Mmap(3 * Page, Prot.None, MapFlags.Private | MapFlags.Anonymous);
        process.Mprotect(mem + Page, Page, Prot.Read | Prot.Write);
        return mem + Page;
    }

    private static ulong ThreeThenHole(VmProcess process)
    {
        var mem = process.Mmap(4 * Page, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(mem, 4 * Page, 1);
        process.Munmap(mem + 3 * Page, Page);
        return mem;
    }
}
