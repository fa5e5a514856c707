using CowGuard.Cli;
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
        Assert.Equal(4, output.Split("(as declared)").Length - 1);
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
        Assert.Contains("4 runs (1 scenarios × 4 eras): 4 as declared, 0 differ, 0 errors", output, StringComparison.Ordinal);
    }
}
