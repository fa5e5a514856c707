using CowGuard.Cli;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Cli;

/// <summary>The command line invoked in-process: output, error output and exit codes.</summary>
public sealed class CliTests
{
    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CowGuardCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Run_prints_checks_and_verdicts_for_every_era()
    {
        var (exit, output, error) = Invoke("run", "bugs/B02-cve-2020-29374-vmsplice-child.cow", "--era", "all");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("(era Mapcount (≤ 5.7))", output, StringComparison.Ordinal);
        Assert.Contains("FAIL No leak from parent into child: observed 0xff×4096, expected 0x01×4096", output, StringComparison.Ordinal);
        Assert.Contains("PASS No leak from parent into child", output, StringComparison.Ordinal);
        Assert.Equal(Era.All.Count, output.Split("(as declared)").Length - 1);
    }

    [Fact]
    public void Run_of_a_malformed_file_exits_2_with_file_line_column()
    {
        using var files = new TestFiles();
        var path = files.Write("bad.cow", "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\np = process\nmunmap p 0\n");

        var (exit, output, error) = Invoke("run", path);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal($"{path}:4:10: syntax error: expected the length as argument 3 of 'munmap', which takes PROCESS ADDRESS LENGTH", error.Trim());
    }

    [Fact]
    public void Run_error_exits_2_and_names_the_statement()
    {
        using var files = new TestFiles();
        var path = files.Write("bad.cow", "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\np = process\nexit p\nexit p\n");

        var (exit, _, error) = Invoke("run", path, "--era", "R");

        Assert.Equal(2, exit);
        Assert.StartsWith($"{path}:5:1: error: exit:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_exits_2()
    {
        var (exit, _, error) = Invoke("run", "no/such/file.cow");

        Assert.Equal(2, exit);
        Assert.Contains("cannot load: cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_era_is_a_command_line_error()
    {
        var (exit, _, error) = Invoke("run", "bugs/B02-cve-2020-29374-vmsplice-child.cow", "--era", "Z");

        Assert.Equal(1, exit);
        Assert.Contains("unknown era 'Z'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Backing_filter_selects_instances_and_rejects_unknown_patterns()
    {
        var (exit, output, _) = Invoke("run", "anon/01-basic-cow-after-fork.cow", "--backing", "thp_single_pte[16K]");
        Assert.Equal(0, exit);
        Assert.Contains("[RUN] Basic COW after fork() ... with single PTE of THP (16 kB)", output, StringComparison.Ordinal);
        Assert.Single(output.Split("[RUN]"), s => s.Length > 0);

        var (badExit, _, error) = Invoke("run", "anon/01-basic-cow-after-fork.cow", "--backing", "nothing*");
        Assert.Equal(2, badExit);
        Assert.Contains("no backing of this scenario matches 'nothing*'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_shows_the_catalogue()
    {
        var (exit, output, _) = Invoke("list");

        Assert.Equal(0, exit);
        Assert.Contains("vmsplice() + unmap in child", output, StringComparison.Ordinal);
        Assert.Contains("54", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_shows_what_each_step_changed()
    {
        var (exit, output, _) = Invoke("trace", "bugs/B02-cve-2020-29374-vmsplice-child.cow", "--era", "M");

        Assert.Equal(0, exit);
        Assert.Contains("B02-cve-2020-29374-vmsplice-child.cow:16  fill parent mem 4K 0xff", output, StringComparison.Ordinal);
        Assert.Contains("Reuse parent@0x", output, StringComparison.Ordinal);
        Assert.Contains("FAIL No leak from parent into child", output, StringComparison.Ordinal);
        Assert.EndsWith("=> FAIL", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_of_all_eras_is_a_command_line_error()
    {
        var (exit, _, error) = Invoke("trace", "bugs/B02-cve-2020-29374-vmsplice-child.cow", "--era", "all");

        Assert.Equal(1, exit);
        Assert.Contains("trace shows one era", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Draw_writes_an_svg_panel_per_snapshot_and_one_for_the_end()
    {
        using var files = new TestFiles();
        var target = Path.Combine(Path.GetDirectoryName(files.Write("placeholder", string.Empty))!, "b2.svg");

        var (exit, output, _) = Invoke("draw", "bugs/B02-cve-2020-29374-vmsplice-child.cow", "--era", "M", "--output", target);

        Assert.Equal(0, exit);
        Assert.Contains("wrote ", output, StringComparison.Ordinal);
        var svg = File.ReadAllText(target);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.Contains(">child unmapped, pipe holds the page<", svg, StringComparison.Ordinal);
        Assert.Contains(">parent wrote<", svg, StringComparison.Ordinal);
        Assert.Contains(">end: FAIL<", svg, StringComparison.Ordinal);
        Assert.Contains(" ref 3 map 1 pin 0<", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_exits_0_with_expected_fails_and_counts_the_runs()
    {
        var (exit, output, error) = Invoke("matrix", "--filter", "B2:");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("B2: vmsplice() child sees parent's later writes", output, StringComparison.Ordinal);
        Assert.Contains($"{Era.All.Count} runs (1 scenarios × {Era.All.Count} eras): {Era.All.Count} as declared, 0 differ, 0 errors", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_runs_the_files_and_folders_it_is_given_and_leaves_libraries_out()
    {
        using var files = new TestFiles();
        var folder = Path.GetDirectoryName(files.Write("lib.cow", "backing b \"b\"\n  m = mmap p 4K\nend\n"))!;
        files.Write("one.cow", "scenario \"one\"\nverdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass\np = process\ninclude \"lib.cow\"\nover b\nsetup\nexpect \"x\": read p m 4K == 0\n");
        files.Write("two.cow", "scenario \"two\"\nverdict M=pass F=pass R=pass X=pass\nexpect \"x\": 1 == 1\n");
        var single = files.Write("three.txt", "scenario \"three\"\nverdict M=pass F=pass R=pass X=pass\nexpect \"x\": 2 == 2\n");

        var (exit, output, error) = Invoke("matrix", folder, single);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("one ... with b", output, StringComparison.Ordinal);
        Assert.Contains("three", output, StringComparison.Ordinal);
        Assert.Contains($"{3 * Era.All.Count} runs (3 scenarios × {Era.All.Count} eras): {3 * Era.All.Count} as declared, 0 differ, 0 errors", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verdict_that_differs_from_the_declared_one_fails_run_and_matrix_unless_only_reported()
    {
        using var files = new TestFiles();
        var path = files.Write("wrong.cow", """
            scenario "basic COW, declared wrongly"
            verdict Mapcount=pass ForcedCowGup=pass Refcount=FAIL AnonExclusive=pass
            p = process
            m = mmap p 4K
            fill p m 4K 1
            c = fork p
            fill p m 4K 2
            expect "the child keeps its data": read c m 4K == 1
            """);

        var (matrixExit, matrixOutput, _) = Invoke("matrix", path);
        var (runExit, runOutput, _) = Invoke("run", path, "--era", "all");
        var (reportedExit, _, _) = Invoke("matrix", path, "--report-only");

        Assert.Equal(CliConsole.VerdictDiffersExitCode, matrixExit);
        Assert.Contains("pass ≠FAIL", matrixOutput, StringComparison.Ordinal);
        // EarlyRefcount inherits the wrongly declared Refcount=FAIL, so both differ.
        Assert.Contains($"{Era.All.Count} runs (1 scenarios × {Era.All.Count} eras): {Era.All.Count - 2} as declared, 2 differ, 0 errors", matrixOutput, StringComparison.Ordinal);
        Assert.Equal(CliConsole.VerdictDiffersExitCode, runExit);
        Assert.Contains("=> pass (DIFFERS from the declared FAIL)", runOutput, StringComparison.Ordinal);
        Assert.Equal(0, reportedExit);
    }

    [Fact]
    public void A_file_with_problems_reports_each_once_whatever_the_eras()
    {
        using var files = new TestFiles();
        var path = files.Write("bad.cow", "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\np = process\nc = fork 12\nfill p 0 4K 300\n");

        var (exit, output, error) = Invoke("run", path, "--era", "all");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal(
            [$"{path}:4:10: error: expected a process, found a number", $"{path}:5:13: error: expected a byte value 0..255, found 300"],
            error.Trim().Split(Environment.NewLine));
    }

    [Fact]
    public void Matrix_goes_on_past_a_file_that_does_not_load()
    {
        using var files = new TestFiles();
        var bad = files.Write("bad.cow", "scenario \"bad\"\nverdict M=pass F=pass R=pass X=pass\nfork\n");
        var good = files.Write("good.cow", "scenario \"good\"\nverdict M=pass F=pass R=pass X=pass\nexpect \"x\": 1 == 1\n");

        var (exit, output, error) = Invoke("matrix", bad, good);

        Assert.Equal(2, exit);
        Assert.StartsWith($"{bad}:3:1: syntax error:", error, StringComparison.Ordinal);
        Assert.Contains($"{Era.All.Count} runs (1 scenarios × {Era.All.Count} eras): {Era.All.Count} as declared", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_shows_what_a_try_returned()
    {
        var (exit, output, _) = Invoke("trace", "bugs/B05-uffd-wp-forced-cow.cow", "--era", "ForcedCowGup");

        Assert.Equal(0, exit);
        Assert.Contains("B05-uffd-wp-forced-cow.cow:11  result = try get_user_pages parent mem 1 none", output, StringComparison.Ordinal);
        Assert.Contains("    try returned \"userfault\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unmapping_a_huge_page_is_traced_at_its_start()
    {
        using var files = new TestFiles();
        var path = files.Write("thp.cow", """
            scenario "unmap a PMD-mapped THP"
            verdict M=pass F=pass R=pass X=pass
            thp_enabled 2M always
            p = process
            m = mmap p 2M align=2M
            madvise p m 2M hugepage
            fill p m 2M 1
            munmap p m 2M
            expect "x": 1 == 1
            """);

        var (exit, output, _) = Invoke("trace", path);

        Assert.Equal(0, exit);
        var zaps = output.Split('\n').Where(l => l.TrimStart().StartsWith("Zap ", StringComparison.Ordinal)).ToList();
        var zap = Assert.Single(zaps);
        var address = Convert.ToUInt64(zap.Split('@')[1].Split(' ')[0], 16);
        Assert.Equal(0UL, address % (2UL << 20));
    }
}
