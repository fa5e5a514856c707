using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Interpretation;

public sealed class InterpreterTests
{
    private const string Header = "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\n";

    private const string VmspliceInChild = """
        scenario "vmsplice() + unmap in child"
        verdict M=FAIL F=pass R=pass X=pass
        parent = process "parent"
        mem = mmap parent 4K
        fill parent mem 4K 1
        child = fork parent
        old = read child mem 4K
        pipe = vmsplice child mem 4K
        munmap child mem 4K
        fill parent mem 4K 0xff
        expect "No leak from parent into child": pipe_read pipe == old
        """;

    private static RunResult Run(string text, EraCode era = EraCode.X) =>
        Interpreter.Run(ScenarioLoader.LoadText(TestFiles.VirtualPath, text).Single(), era, new RunOptions(CheckInvariants: true));

    [Theory]
    [InlineData("M", false)]
    [InlineData("F", true)]
    [InlineData("R", true)]
    [InlineData("X", true)]
    public void Vmsplice_leak_appears_only_under_the_mapcount_rule(string era, bool passes)
    {
        var result = Run(VmspliceInChild, Enum.Parse<EraCode>(era));

        Assert.Null(result.Error);
        Assert.Equal(passes ? Verdict.Pass : Verdict.Fail, result.Observed);
        Assert.True(result.MatchesDeclaration);
    }

    [Fact]
    public void Failed_check_reports_observed_and_expected_bytes_with_its_location()
    {
        var check = Run(VmspliceInChild, EraCode.M).Checks.Single();

        Assert.False(check.Passed);
        Assert.Equal("0xff×4096", check.Observed);
        Assert.Equal("0x01×4096", check.Expected);
        Assert.Equal(11, check.Location.Line);
        Assert.StartsWith("FAIL No leak from parent into child: observed 0xff×4096, expected 0x01×4096", check.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_carry_the_trace_slice_each_statement_produced()
    {
        var result = Run(VmspliceInChild, EraCode.R);
        var parentWrite = result.Steps.Last(s => s.Statement is FillStatement);
        var events = result.Events.Skip(parentWrite.FirstEvent).Take(parentWrite.EndEvent - parentWrite.FirstEvent).ToList();

        Assert.Contains(events, e => e.Kind == VmEventKind.Copy && e.Process == "parent");
        Assert.DoesNotContain(events, e => e.Kind == VmEventKind.Reuse);
    }

    [Fact]
    public void Page_facts_follow_fork_and_cow()
    {
        var result = Run(Header + """
            p = process
            m = mmap p 8K
            fill p m 8K 7
            e1 = exclusive p m
            c = fork p
            expect "fork shares the page": mapcount p m == 2
            expect "fork clears PageAnonExclusive": exclusive p m == 0
            fill c m 4K 9
            expect "the child's write copied": mapcount p m == 1
            expect "the other page stays shared": mapcount c m + 4K == 2
            expect "different pages": pfn p m != pfn c m
            expect "the parent still reads its data": read p m 8K == 7
            expect "exclusive before fork": e1 == 1
            """);

        Assert.Null(result.Error);
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
        Assert.Equal(7, result.Checks.Count);
    }

    [Fact]
    public void Try_turns_a_fault_into_a_value()
    {
        var result = Run(Header + """
            p = process
            m = mmap p 4K prot=r
            w = try write p m 1
            r = try read p m 4K
            expect "write to PROT_READ faults": w == "SIGSEGV"
            expect "read works": r == "ok"
            """);

        Assert.Null(result.Error);
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
    }

    [Theory]
    [InlineData("p = process\nc = fork 12\n", 4, 10, "expected a process, found a number")]
    [InlineData("p = process\nm = mmap p 4K\nc = fork m\n", 5, 10, "expected a process, found a number in 'm'")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K 256\n", 5, 13, "expected a byte value 0..255, found 256")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K - 8K 1\n", 5, 13, "leaves the range")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K / 0 1\n", 5, 13, "division by zero")]
    [InlineData("p = process\nm = mmap p 4K\nmunmap p m + 1 4K\n", 5, 1, "munmap:")]
    [InlineData("p = process\nm = mmap p 4K\nexpect \"x\": read p m 4K == 300\n", 5, 28, "compared with a byte value 0..255, found 300")]
    [InlineData("p = process\nexpect \"x\": p == 1\n", 4, 1, "cannot compare a process with a number")]
    [InlineData("p = process\nm = mmap p 4K align=3K\n", 4, 21, "expected a power-of-two alignment")]
    [InlineData("p = process\nm = mmap p 4K hugetlb=4K\n", 4, 23, "expected a hugetlb size of 2M or 1G")]
    [InlineData("p = process\nm = mmap p 4K\nh = pin_user_pages p m 0\n", 5, 24, "expected a page count")]
    [InlineData("p = process\nm = mmap p 4K\nh = pin_user_pages p m 1 write\nunpin_user_pages h\nunpin_user_pages h\n", 7, 1, "unpin_user_pages:")]
    [InlineData("p = process\nexit p\nexit p\n", 5, 1, "exit:")]
    [InlineData("n = 2\nnr_hugepages 2M n\n", 4, 17, "nr_hugepages needs constant arguments")]
    public void Runtime_errors_are_located_and_stop_the_run(string body, int line, int column, string cause)
    {
        var result = Run(Header + body);

        var error = Assert.IsAssignableFrom<ScenarioException>(result.Error);
        Assert.Contains(cause, error.Cause, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void Backing_parameter_and_setup_prepare_memory_per_instance()
    {
        var text = Header + """
            backing sized "sized ({n})" for n in 4K, 16K
              mem = mmap parent n
              fill parent mem n 3
              size = n
            end
            over sized
            parent = process
            setup
            expect "filled": read parent mem size == 3
            expect "size": size == 16K
            """;
        var instances = ScenarioLoader.LoadText(TestFiles.VirtualPath, text);

        Assert.Equal(["t ... with sized (4 kB)", "t ... with sized (16 kB)"], instances.Select(i => i.DisplayName));
        var result = Interpreter.Run(instances[1], EraCode.X, RunOptions.Default);
        Assert.Null(result.Error);
        Assert.Equal([true, true], result.Checks.Select(c => c.Passed));
        Assert.False(Interpreter.Run(instances[0], EraCode.X, RunOptions.Default).Checks[1].Passed);
    }
}
