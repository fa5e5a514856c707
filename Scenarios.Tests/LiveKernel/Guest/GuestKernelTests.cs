using System.Diagnostics;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.LiveKernel.Guest;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Scenarios.Tests.LiveKernel.Guest;

/// <summary>
/// The guest kernel runner, booting the real guest (Scenarios/LiveKernel/Guest/kernel/build.sh builds it; the tests
/// are skipped with the reason where it is not built). The probes check the two features the guest exists for:
/// R/O long-term pins through gup_test and soft-dirty write protection by clear_refs.
/// </summary>
public sealed class GuestKernelTests(GuestFixture guest, ITestOutputHelper output) : IClassFixture<GuestFixture>
{
    [SkippableFact]
    public async Task One_boot_returns_each_programs_output_exit_status_signal_and_timeout()
    {
        var batch = await Batch();
        Assert.True(batch.Completed, batch.Console);
        var print = batch["print"];
        Assert.Equal((GuestOutcome.Exited, 3), (print.Outcome, print.ExitCode!.Value));
        Assert.Equal("out: two words|it's\n@@cg:exit:0:0:0\n", print.Stdout); // arguments quoted, markers in output harmless
        Assert.Equal("err line\n", print.Stderr);
        Assert.Equal((GuestOutcome.Signalled, 11), (batch["segv"].Outcome, batch["segv"].Signal!.Value));
        Assert.Equal(GuestOutcome.TimedOut, batch["hang"].Outcome);
        var release = batch["after-hang"];
        Assert.Equal(GuestOutcome.Exited, release.Outcome);
        Assert.StartsWith("6.12.", release.Stdout, StringComparison.Ordinal);
        Assert.Equal(32, batch.HugePages2M);
        Assert.True(batch.SwapKiB > 0, "swap on /dev/ram0");
        output.WriteLine($"boot to /init ready {batch.ReadySeconds:F2} s (guest clock), last program done {batch.DoneSeconds:F2} s, QEMU wall {batch.Wall.TotalSeconds:F2} s for {batch.Programs.Count} programs");
        foreach (var program in batch.Programs)
            output.WriteLine($"  {program.Name}: {program.Outcome} {program.Seconds:F2} s {program.Stdout.Trim()}");
    }

    [SkippableFact]
    public async Task The_facts_the_backend_assumes_are_the_running_guests()
    {
        var batch = await Batch();
        var seen = batch["facts"].Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var facts = GuestFacts.Of(guest.Kernel!, new GuestBootOptions());
        output.WriteLine(string.Join(", ", seen.Select(p => $"{p.Key}={p.Value}")));

        Assert.Equal(facts.KernelRelease, seen["release"]);
        Assert.Equal(facts.ThpMode, KernelFacts.Selected(seen["thp"]));
        Assert.Equal(facts.FreeHugetlbPages[2UL << 20].ToString(System.Globalization.CultureInfo.InvariantCulture), seen["nr_hugepages"]);
        Assert.Equal(facts.SwapActive, int.Parse(seen["swap_devices"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(facts.IoUringDisabled.ToString(System.Globalization.CultureInfo.InvariantCulture), seen["io_uring_disabled"] == "absent" ? "0" : seen["io_uring_disabled"]);
        Assert.Equal((facts.HasGupTest, facts.HasKsm, facts.HasUserfaultfd, facts.PtraceScope is not null), (seen["gup_test"] == "1", seen["ksm"] == "1", seen["userfaultfd"] == "1", seen["yama"] == "1"));
        Assert.Equal(facts.UnprivilegedUserfaultfd, seen["unprivileged_userfaultfd"] == "1");
        Assert.Equal("works", batch["soft-dirty"].Stdout.Trim().Split(": ")[1]);
        Assert.True(facts.SoftDirty);
    }

    [SkippableTheory]
    [InlineData("ro-pin-shared-slow")]
    [InlineData("ro-pin-shared-fast")]
    [InlineData("ro-pin-exclusive-fast")]
    public async Task A_read_only_long_term_pin_through_gup_test_sees_the_write_made_after_it(string program)
    {
        var result = (await Batch())[program];
        Assert.Equal(GuestOutcome.Exited, result.Outcome);
        Assert.Equal("coherent\n", result.Stdout);
    }

    [SkippableFact]
    public async Task A_read_write_pin_of_a_read_only_mapping_is_EFAULT()
    {
        var result = (await Batch())["rw-pin-of-read-only"];
        Assert.Equal("pin: EFAULT\n", result.Stdout);
    }

    [SkippableFact]
    public async Task Clear_refs_write_protects_in_the_guest_and_the_probe_tells_a_kernel_without_soft_dirty()
    {
        var result = (await Batch())["soft-dirty"];
        Assert.Equal("soft-dirty: works\n", result.Stdout);

        // The same static binary on this machine's kernel: "unsupported" exactly when it lacks CONFIG_MEM_SOFT_DIRTY.
        var softDirty = KernelFacts.Detect().SoftDirty;
        Skip.If(softDirty is null, "this machine's kernel configuration is not readable");
        var program = await guest.CompileAsync("soft-dirty", "soft_dirty.c");
        var run = Process.Start(new ProcessStartInfo(program.Binary) { RedirectStandardOutput = true })!;
        var hostOutput = await run.StandardOutput.ReadToEndAsync();
        await run.WaitForExitAsync();
        Assert.Equal(softDirty.Value ? "soft-dirty: works\n" : "soft-dirty: unsupported\n", hostOutput);
    }

    [SkippableFact]
    public async Task An_empty_batch_measures_the_boot_overhead()
    {
        Skip.If(guest.Kernel is null, guest.Unavailable);
        var batch = await guest.Kernel.RunAsync([]);
        Assert.True(batch.Completed, batch.Console);
        Assert.NotNull(batch.ReadySeconds);
        Assert.Contains("reboot: Restarting system", batch.Console, StringComparison.Ordinal); // /init's reboot -f ended it
        output.WriteLine($"empty batch: ready at {batch.ReadySeconds:F2} s guest time, QEMU wall {batch.Wall.TotalSeconds:F2} s");
    }

    [SkippableFact]
    public async Task The_batch_timeout_kills_QEMU_and_reports_the_programs_it_cut_off()
    {
        Skip.If(guest.Kernel is null, guest.Unavailable);
        var hang = await guest.CompileAsync("hang", "batch.c", TimeSpan.FromSeconds(600), ["hang"]);
        var next = await guest.CompileAsync("next", "batch.c", arguments: ["uname"]);
        var clock = Stopwatch.StartNew();
        var batch = await guest.Kernel.RunAsync([hang, next], new GuestBootOptions { BatchTimeout = TimeSpan.FromSeconds(20) });
        Assert.True(batch.TimedOut);
        Assert.False(batch.Completed);
        Assert.Contains(batch["hang"].Outcome, new[] { GuestOutcome.Interrupted, GuestOutcome.NotRun });
        Assert.Equal(GuestOutcome.NotRun, batch["next"].Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"QEMU was not killed in time ({clock.Elapsed})");
    }

    [SkippableFact]
    public async Task A_dynamically_linked_program_is_refused_before_booting()
    {
        Skip.If(guest.Kernel is null, guest.Unavailable);
        var dynamic = Process.GetCurrentProcess().MainModule!.FileName; // the dotnet host: dynamically linked
        var error = await Assert.ThrowsAsync<ArgumentException>(() => guest.Kernel.RunAsync([new GuestProgram("dyn", dynamic)]));
        Assert.Contains("dynamically linked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_built_kernel_the_lookup_says_what_is_missing()
    {
        var empty = Directory.CreateTempSubdirectory("cowguard-guest-empty-cache-").FullName;
        try
        {
            var lookup = GuestKernel.Locate(empty);
            Assert.Null(lookup.Kernel);
            Assert.NotNull(lookup.Unavailable);
            Assert.NotEmpty(lookup.Unavailable.Reason);
            if (guest.Kernel is not null)
                Assert.Equal(GuestMissing.KernelNotBuilt, lookup.Unavailable.What); // the packages are there
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private async Task<GuestBatchResult> Batch()
    {
        Skip.If(guest.Kernel is null, guest.Unavailable);
        return await guest.Batch;
    }
}
