using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Interpretation;

public sealed class InterpreterTests
{
    private const string Header = "scenario \"t\"\nverdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass\n";

    private const string VmspliceInChild = """
        scenario "vmsplice() + unmap in child"
        verdict Mapcount=FAIL ForcedCowGup=pass Refcount=pass AnonExclusive=pass
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

    private static RunResult Run(string text, Era? era = null) =>
        Interpreter.Run(ScenarioLoader.LoadText(TestFiles.VirtualPath, text).Single(), era ?? Era.AnonExclusive, new RunOptions(CheckInvariants: true));

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    public void Vmsplice_leak_appears_only_under_the_mapcount_rule(string era, bool passes)
    {
        var result = Run(VmspliceInChild, Era.Parse(era));

        Assert.Null(result.Error);
        Assert.Equal(passes ? Verdict.Pass : Verdict.Fail, result.Observed);
        Assert.True(result.MatchesDeclaration);
    }

    [Fact]
    public void Failed_check_reports_observed_and_expected_bytes_with_its_location()
    {
        var check = Run(VmspliceInChild, Era.Mapcount).Checks.Single();

        Assert.False(check.Passed);
        Assert.Equal("0xff×4096", check.Observed);
        Assert.Equal("0x01×4096", check.Expected);
        Assert.Equal(11, check.Location.Line);
        Assert.StartsWith("FAIL No leak from parent into child: observed 0xff×4096, expected 0x01×4096", check.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_carry_the_trace_slice_each_statement_produced()
    {
        var result = Run(VmspliceInChild, Era.Refcount);
        var parentWrite = result.Steps.Last(s => s.Statement is BoundFill);
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
    [InlineData("p = process\nm = mmap p 4K\nmunmap p m + 1 4K\n", 5, 1, "munmap:")]
    [InlineData("p = process\nm = mmap p 4K\nh = pin_user_pages p m 1 write\nunpin_user_pages h\nunpin_user_pages h\n", 7, 1, "unpin_user_pages:")]
    [InlineData("p = process\nexit p\nexit p\n", 5, 1, "exit:")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K 1\nr = refcount p m\nfill p m 4K r - r + 256\n", 7, 19, "expected a byte value 0..255, found 256")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m - 0x800000000000 4K 1\n", 5, 10, "leaves the range")]
    [InlineData("p = process\nm = mmap p 4K\nn = mmap p 4K align=m\n", 5, 21, "expected a power-of-two alignment")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K 1\nr = refcount p m\nh = pin_user_pages p m r - r\n", 7, 26, "expected a page count")]
    [InlineData("p = process\nm = mmap p 4K\nfill p m 4K 1\nr = refcount p m\nexpect \"x\": read p m 4K == r - r + 300\n", 7, 34, "compared with a byte value 0..255, found 300")]
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
        var result = Interpreter.Run(instances[1], Era.AnonExclusive, RunOptions.Default);
        Assert.Null(result.Error);
        Assert.Equal([true, true], result.Checks.Select(c => c.Passed));
        Assert.False(Interpreter.Run(instances[0], Era.AnonExclusive, RunOptions.Default).Checks[1].Passed);
    }
}
