using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests.Binding;

/// <summary>
/// The bound tree: every name is a typed symbol, <c>setup</c> is lowered away, constants are folded, each check has an
/// index, what a live kernel can observe is a question of the kinds; and loading reports every problem once, in file order.
/// </summary>
public sealed class BinderTests
{
    private const string Header = "scenario \"t\"\nverdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass\n";

    private static BoundProgram Bind(string body) => ScenarioLoader.LoadText(TestFiles.VirtualPath, Header + body).Single().Program;

    private static ScenarioType TypeOf(BoundProgram program, string name) => program.Symbols.Last(s => s.Name == name).Type;

    [Fact]
    public void Every_variable_is_a_symbol_of_the_kind_its_statement_produces()
    {
        var program = Bind("""
            p = process
            c = fork p
            m = mmap p 8K
            n = m + 4K
            size = 8K
            f = memfd 4K
            pipe = vmsplice p m 4K
            g = get_user_pages p m 1
            h = pin_user_pages p m 1 write
            b = io_uring_register p m 4K
            bytes = read p m 4K
            rc = refcount p m
            frame = pfn p m
            there = present p m
            r = try write p m 1
            alias = p
            expect "x": bytes == 0
            """);

        Assert.Equal(ScenarioType.Process, TypeOf(program, "c"));
        Assert.Equal(ScenarioType.Address, TypeOf(program, "m"));
        Assert.Equal(ScenarioType.Address, TypeOf(program, "n"));
        Assert.Equal(ScenarioType.Number, TypeOf(program, "size"));
        Assert.Equal(ScenarioType.File, TypeOf(program, "f"));
        Assert.Equal(ScenarioType.Pipe, TypeOf(program, "pipe"));
        Assert.Equal(ScenarioType.PageReferences, TypeOf(program, "g"));
        Assert.Equal(ScenarioType.PagePins, TypeOf(program, "h"));
        Assert.Equal(ScenarioType.RegisteredBuffer, TypeOf(program, "b"));
        Assert.Equal(ScenarioType.Bytes, TypeOf(program, "bytes"));
        Assert.Equal(ScenarioType.PageFact, TypeOf(program, "rc"));
        Assert.Equal(ScenarioType.PageFrameNumber, TypeOf(program, "frame"));
        Assert.Equal(ScenarioType.Number, TypeOf(program, "there"));
        Assert.Equal(ScenarioType.Text, TypeOf(program, "r"));
        Assert.Same(program.Symbols.First(s => s.Name == "p"), program.Symbols.Single(s => s.Name == "alias").Root);
        Assert.Equal(8192UL, program.Symbols.Single(s => s.Name == "size").Constant);
    }

    [Fact]
    public void Assigning_a_name_again_defines_a_new_symbol_of_the_new_kind()
    {
        var program = Bind("x = 1\np = process\nx = p\nexit x\nexpect \"y\": 1 == 1\n");

        Assert.Equal([ScenarioType.Number, ScenarioType.Process], program.Symbols.Where(s => s.Name == "x").Select(s => s.Type));
    }

    [Theory]
    [InlineData("read p m 4K == 1", true)]
    [InlineData("refcount p m == 1", false)]
    [InlineData("rc == 1", false)]
    [InlineData("rc + 1 == 2", false)]
    [InlineData("pfn p m == frame", true)]
    [InlineData("frame == 5", false)]
    [InlineData("present p m == 1", true)]
    [InlineData("r == \"ok\"", true)]
    public void What_a_live_kernel_can_observe_is_asked_of_the_kinds(string check, bool observable)
    {
        var program = Bind($"p = process\nm = mmap p 4K\nfill p m 4K 1\nrc = refcount p m\nframe = pfn p m\nr = try read p m 1\nexpect \"x\": {check}\n");

        Assert.Equal(observable, Assert.Single(program.Checks).ObservableOnLiveKernel);
    }

    [Fact]
    public void Setup_is_lowered_to_the_backing_statements_with_its_parameter_a_constant()
    {
        var instance = ScenarioLoader.LoadText(TestFiles.VirtualPath, Header + """
            backing sized "sized ({n})" for n in 4K, 16K
              mem = mmap parent n
              size = n * 2
            end
            over sized
            parent = process
            setup
            expect "x": size == 32K
            """)[1];

        Assert.Equal(["process", "mmap", "=", "expect"], instance.Program.Statements.Select(s => s.Verb));
        Assert.Equal([false, true, true, false], instance.Program.Statements.Select(s => s.FromBacking));
        Assert.Equal(32768UL, instance.Program.Symbols.Single(s => s.Name == "size").Constant);
        Assert.True(instance.Program.Symbols.Single(s => s.Name == "n").IsParameter);
    }

    [Fact]
    public void Checks_are_numbered_in_statement_order()
    {
        var program = Bind("p = process\nexpect \"a\": 1 == 1\nexpect \"b\": 2 != 1\nexpect \"c\": \"x\" == \"x\"\n");

        Assert.Equal([(0, "a"), (1, "b"), (2, "c")], program.Checks.Select(c => (c.Index, c.Label)));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_once_in_file_order()
    {
        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadText(TestFiles.VirtualPath, Header + """
            backing b "b" for n in 4K, 8K
              mem = mmap parent n align=3K
              fill parent mem n 256
            end
            over b
            parent = process
            munmap parent
            setup
            x = "unterminated
            fill parent x 4K 1
            c = fork mem
            expect "y": read parent mem 4K == 0
            expect "z": parent == 1
            """));

        Assert.Equal(
            [
                (4, 29, "expected a power-of-two alignment, found 3072"),
                (5, 21, "expected a byte value 0..255, found 256"),
                (9, 8, "expected the address as argument 2 of 'munmap'"),
                (11, 5, "unterminated string"),
                (13, 10, "expected a process, found an address in 'mem'"),
                (15, 1, "cannot compare a process with a number"),
            ],
            error.Diagnostics.Select(d => (d.Location.Line, d.Location.Column, d.Cause[..Math.Min(d.Cause.Length, Cause(d).Length)])));
        Assert.Equal(error.Diagnostics.Count, error.Message.Split('\n').Length);
    }

    [Fact]
    public void A_problem_inside_a_backing_no_scenario_runs_is_found()
    {
        using var files = new TestFiles();
        files.Write("lib.cow", "backing used \"u\"\n  mem = mmap parent 4K\nend\nbacking unused \"n\"\n  m = mmap parent 4K\n  fill parent m 4K 999\nend\n");
        var scenario = files.Write("s.cow", Header + "include \"lib.cow\"\nover used\nparent = process\nsetup\nexpect \"x\": 1 == 1\n");

        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadFile(scenario));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.EndsWith("lib.cow", diagnostic.Location.File, StringComparison.Ordinal);
        Assert.Equal((6, 20), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    private static string Cause(Diagnostic diagnostic) => diagnostic.Cause switch
    {
        var c when c.StartsWith("expected the address", StringComparison.Ordinal) => "expected the address as argument 2 of 'munmap'",
        var c when c.StartsWith("unterminated string", StringComparison.Ordinal) => "unterminated string",
        var c => c,
    };
}
