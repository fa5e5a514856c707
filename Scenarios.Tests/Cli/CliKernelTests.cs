using CowGuard.Cli;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Tests.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Cli;

/// <summary>
/// <c>run --kernel</c> and <c>matrix --kernel</c>: the live column comes from really running the translated program
/// (on Linux with gcc); a backend built from altered facts shows the skip output without gcc, and a comparison era
/// taken from another kernel release shows the disagreement flag and exit code 3.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class CliKernelTests
{
    private const string Vmsplice = "anon/03-vmsplice-unmap-in-child.cow";

    private static (int Exit, string Output, string Error) Invoke(KernelFacts? facts, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CowGuardCli.Run(args, output, error, facts is null ? null : _ => new LiveKernelBackend(facts, TimeSpan.FromSeconds(60)));
        return (exit, output.ToString(), error.ToString());
    }

    [SkippableFact]
    public void Run_with_kernel_prints_the_live_checks_and_the_agreement()
    {
        LiveRuns.SkipUnless();

        var (exit, output, error) = Invoke(null, "run", Vmsplice, "--backing", "base", "--kernel");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"[LIVE] vmsplice() + unmap in child ... with base page   (live kernel: Linux {LiveRuns.Facts.KernelRelease} (this machine's kernel), compared with era AnonExclusive (5.19+))", output, StringComparison.Ordinal);
        Assert.EndsWith("  PASS No leak from parent into child\n  => pass (agrees with the model's era AnonExclusive)", output.TrimEnd(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Run_with_kernel_lists_the_checks_the_kernel_cannot_observe()
    {
        LiveRuns.SkipUnless(KernelFeature.Userfaultfd);

        var (exit, output, _) = Invoke(null, "run", "bugs/B05-uffd-wp-forced-cow.cow", "--era", "ForcedCowGup", "--kernel");

        Assert.Equal(0, exit);
        Assert.Contains("FAIL A read GUP raises no write-protect fault: observed \"userfault\"", output, StringComparison.Ordinal);
        Assert.Contains("  not observable on a live kernel, left out: \"The range stays write-protected\"\n  => pass (agrees with the model's era AnonExclusive)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_gcc_every_instance_is_skipped_with_the_reason()
    {
        var facts = KernelFacts.Detect() with { Compiler = null };

        var (exit, output, error) = Invoke(facts, "run", Vmsplice, "--backing", "thp_pte[*]", "--kernel");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var expected = facts.IsLinux ? "=> skipped: no C compiler (gcc) on PATH" : "=> skipped: not Linux";
        Assert.Equal(8, output.Split(expected).Length - 1); // one per PTE-mapped THP size, 16K ... 2M
    }

    [SkippableFact]
    public void A_declared_verdict_the_kernel_contradicts_is_flagged_with_exit_code_3()
    {
        LiveRuns.SkipUnless();

        using var files = new TestFiles();
        var path = files.Write("wrong.cow", """
            scenario "basic COW, declared wrongly"
            verdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=FAIL
            p = process
            m = mmap p 4K
            fill p m 4K 1
            c = fork p
            fill p m 4K 2
            expect "the child keeps its data": read c m 4K == 1
            """);

        var (exit, output, _) = Invoke(null, "run", path, "--kernel");

        Assert.Equal(CliConsole.LiveDisagreementExitCode, exit);
        Assert.Contains("  => pass (DIFFERS from the declared FAIL)", output, StringComparison.Ordinal);
        Assert.Contains("  => pass (agrees with the model's era AnonExclusive; CONTRADICTS the declared AnonExclusive=FAIL)", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_kernel_that_behaves_unlike_the_compared_era_is_a_disagreement()
    {
        LiveRuns.SkipUnless();

        // The same real run, compared as if this kernel were 5.7 (the Mapcount era, where the child's pipe leaks).
        var (exit, output, _) = Invoke(LiveRuns.Facts with { KernelRelease = "5.7.19" }, "run", Vmsplice, "--backing", "base", "--era", "M", "--kernel");

        Assert.Equal(CliConsole.LiveDisagreementExitCode, exit);
        Assert.Contains("  => FAIL (as declared)", output, StringComparison.Ordinal);
        Assert.Contains("(live kernel: Linux 5.7.19 (this machine's kernel), compared with era Mapcount (≤ 5.7))", output, StringComparison.Ordinal);
        Assert.Contains("  => pass (DISAGREES with the model's era Mapcount (FAIL; line 27 'No leak from parent into child': model FAIL, kernel PASS); CONTRADICTS the declared Mapcount=FAIL)", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_backend_failure_is_a_message_with_its_cause_and_exit_code_2()
    {
        Skip.IfNot(LiveRuns.Facts.IsLinux, "not Linux");

        using var files = new TestFiles();
        var path = files.Write("fresh.cow", $"scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\np = process\nm = mmap p 4K\nexpect \"{Guid.NewGuid():N}\": read p m 4K == 0\n");
        var facts = LiveRuns.Facts with { Compiler = Path.Combine(Path.GetDirectoryName(path)!, "no-such-gcc") }; // a fresh program must compile

        var (exit, output, error) = Invoke(facts, "run", path, "--kernel");

        Assert.Equal(CliConsole.ScenarioErrorExitCode, exit);
        Assert.Contains("  => ERROR (see below)", output, StringComparison.Ordinal);
        Assert.StartsWith("live kernel: t: ", error, StringComparison.Ordinal);
        Assert.Contains("no-such-gcc", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Matrix_with_kernel_adds_a_live_column_and_a_summary()
    {
        LiveRuns.SkipUnless();

        var (exit, output, error) = Invoke(null, "matrix", "--filter", "B2:", "--kernel");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Matches(@"B2: vmsplice\(\) child sees parent's later writes \(CVE-2020-29374\)\s+FAIL\s+pass\s+pass\s+pass\s+pass\s+pass\s+pass\s", output);
        Assert.Contains("): 1 instances: 1 ran (1 agree, 0 disagree with the model, 0 contradict the declared verdict), 0 skipped, 0 errors", output, StringComparison.Ordinal);
        Assert.Contains("Live kernel facts: Linux ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_with_kernel_numbers_the_skip_reasons()
    {
        var (exit, output, _) = Invoke(KernelFacts.Detect() with { Compiler = null }, "matrix", "--filter", "B1", "--kernel");

        Assert.Equal(0, exit);
        Assert.Matches(@"B10: a R/W-pinned page is swapped out and written\s+pass\s+pass\s+FAIL\s+pass\s+pass\s+pass\s+skip #1", output);
        Assert.Contains("5 skipped, 0 errors", output, StringComparison.Ordinal); // B10, B11, B12, B13, B16
        Assert.Contains(KernelFacts.Detect().IsLinux ? "  #1 (5×) no C compiler (gcc) on PATH" : "  #1 (5×) not Linux", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Matrix_with_kernel_shows_disagreements_under_differences_and_exits_3()
    {
        LiveRuns.SkipUnless();

        var (exit, output, _) = Invoke(LiveRuns.Facts with { KernelRelease = "5.7.19" }, "matrix", "--filter", "B2:", "--kernel", "--differences");

        Assert.Equal(CliConsole.LiveDisagreementExitCode, exit);
        Assert.Matches(@"B2: vmsplice\(\) child sees parent's later writes \(CVE-2020-29374\)\s+FAIL\s+pass\s+pass\s+pass\s+pass\s+pass\s+pass ≠model ≠declared", output);
        Assert.Contains("1 ran (0 agree, 1 disagree with the model, 1 contradict the declared verdict)", output, StringComparison.Ordinal);
        Assert.Contains("Checks whose outcome on the live kernel differs from the model's:", output, StringComparison.Ordinal);
        Assert.Contains("'No leak from parent into child': model FAIL, kernel PASS", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_kernel_run_that_waits_for_the_machine_lock_says_so()
    {
        LiveRuns.SkipUnless();

        using var output = new StringWriter();
        using var error = new NoticeWriter();
        int exit;
        using (var held = MachineLock.Acquire(TimeSpan.FromSeconds(30)))
        {
            var run = Task.Run(() => CowGuardCli.Run(["run", Vmsplice, "--backing", "base", "--kernel"], output, error));
            Assert.True(error.Written.Wait(TimeSpan.FromSeconds(120)), "no notice while the lock was held");
            held.Dispose();
            exit = run.GetAwaiter().GetResult();
        }

        var result = (Exit: exit, Output: output.ToString(), Error: error.ToString());
        Assert.Equal(0, result.Exit);
        Assert.StartsWith($"live kernel: waiting for the machine-wide lock {MachineLock.LockPath}", result.Error, StringComparison.Ordinal);
        Assert.Contains("=> pass (agrees with the model's era AnonExclusive)", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run", Vmsplice, "--backing", "base", "--kernel" }, "Host")]
    [InlineData(new[] { "run", Vmsplice, "--backing", "base", "--kernel", "host" }, "Host")]
    [InlineData(new[] { "run", Vmsplice, "--backing", "base", "--kernel", "guest" }, "Guest")]
    [InlineData(new[] { "matrix", "--filter", "B2:", "-k", "guest" }, "Guest")]
    public void Kernel_option_chooses_the_host_by_default_and_the_guest_by_name(string[] args, string expected)
    {
        var asked = new List<LiveTarget>();
        var facts = KernelFacts.Detect() with { Compiler = null }; // nothing runs: only the choice of backend matters
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = CowGuardCli.Run(args, output, error, target =>
        {
            asked.Add(target);
            return new LiveKernelBackend(facts, TimeSpan.FromSeconds(60));
        });

        Assert.Equal(0, exit);
        Assert.Equal([Enum.Parse<LiveTarget>(expected)], asked);
    }

    [Fact]
    public void Kernel_option_refuses_another_word_and_says_to_put_the_file_first()
    {
        var (exit, _, error) = Invoke(KernelFacts.Detect() with { Compiler = null }, "run", "--kernel", Vmsplice);

        Assert.Equal(CliConsole.UsageErrorExitCode, exit);
        Assert.Contains($"--kernel takes 'host' or 'guest', not '{Vmsplice}' (to run FILE on this machine's kernel, write FILE before --kernel)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_guest_without_a_built_guest_skips_every_instance_with_the_reason()
    {
        using var files = new TestFiles();
        var emptyCache = Path.GetDirectoryName(files.Write("empty-cache.txt", string.Empty))!; // holds no built kernel
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = CowGuardCli.Run(["run", Vmsplice, "--backing", "base", "--kernel", "guest"], output, error, _ => Scenarios.LiveKernel.Guest.GuestKernelBackend.Locate(emptyCache));

        Assert.Equal(0, exit);
        Assert.Contains("(live kernel: the guest kernel under QEMU, not available)", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"  => skipped: the guest kernel is not available: \S", output.ToString());
    }

    /// <summary>The error output of a CLI run, telling the test when the first line arrives.</summary>
    private sealed class NoticeWriter : StringWriter
    {
        public ManualResetEventSlim Written { get; } = new();

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            Written.Set();
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }

        protected override void Dispose(bool disposing)
        {
            Written.Dispose();
            base.Dispose(disposing);
        }
    }
}
