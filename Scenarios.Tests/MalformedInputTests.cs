using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests;

/// <summary>
/// Every malformed or invalid input is rejected when the file is loaded, with file:line:column and a cause that says
/// what was expected: syntax, names, kinds of value and constants out of range. Each case is a whole file; the header
/// lines keep every other part valid so only the fault is tested.
/// </summary>
public sealed class MalformedInputTests
{
    private const string Header = "scenario \"t\"\nverdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass\n";

    public static TheoryData<string, int, int, string> Cases() => new()
    {
        // Lexical faults.
        { Header + "p = process \"unterminated\n", 3, 13, "unterminated string" },
        { Header + "p = process\nfill p 0 4KB 1\n", 4, 12, "size suffix" },
        { Header + "p = process\nfill p 0 0x 1\n", 4, 10, "hexadecimal digits" },
        { Header + "p = process\nfill p 0 4K 1 ; \n", 4, 15, "unexpected character ';'" },
        { Header + "p = process\nfill p 0 99999999999999999999 1\n", 4, 10, "does not fit in 64 bits" },
        { Header + "p = process\nfill p 0 17179869184G 1\n", 4, 10, "does not fit in 64 bits" },
        { Header + "p = process \"a\\q\"\n", 3, 15, "after a backslash" },

        // Operations: unknown verbs, arity, keywords, assignments.
        { Header + "p = proces\n", 3, 5, "unknown variable 'proces'" },
        { Header + "p = process\nproces p\n", 4, 1, "unknown operation 'proces' (did you mean 'process'?)" },
        { Header + "p = process\nmunmap q 0 4K\n", 4, 8, "unknown variable 'q'" },
        { Header + "p = process\nexpect \"l\": read p mem 4K == 1\n", 4, 20, "unknown variable 'mem'" },
        { Header + "x = 1 +\n", 3, 8, "expected a value after '+'" },
        { Header + "x = 1 2\n", 3, 7, "expected end of line after the value of 'x'" },
        { Header + "p = process\nmunmap p 0\n", 4, 10, "expected the length as argument 3 of 'munmap'" },
        { Header + "p = process\nmunmap\n", 4, 1, "expected the process as argument 1 of 'munmap'" },
        { Header + "p = process\nmunmap p 0 4K 8K\n", 4, 15, "unexpected argument number 8K: 'munmap' takes PROCESS ADDRESS LENGTH" },
        { Header + "p = process\nm = mmap p 4K prot=rwx\n", 4, 20, "expected the protection (none, r, rw), found 'rwx'" },
        { Header + "p = process\nm = mmap p 4K colour=red\n", 4, 15, "unexpected option 'colour'" },
        { Header + "p = process\nmadvise p 0 4K dontneeed\n", 4, 16, "expected the advice" },
        { Header + "p = process\nh = pin_user_pages p 0 1 write|longtrem\n", 4, 32, "expected a FOLL flag" },
        { Header + "p = process\nh = pin_user_pages p 0 1 write|break_cow\n", 4, 26, "break_cow cannot be combined with write" },
        { Header + "p = process\nh = pin_user_pages p 0 1 4K\n", 4, 26, "expected FOLL flags" },
        { Header + "p = process\nx = munmap p 0 4K\n", 4, 1, "produces no value to assign to 'x'" },
        { Header + "p = process\nfork p\n", 4, 1, "'fork' produces a value" },
        { Header + "p = \n", 3, 5, "expected a value or an operation after 'p =', found end of line" },
        { Header + "= process\n", 3, 1, "expected an operation or a header keyword, found '='" },
        { Header + "p = process\nfill p 0 (4K 1\n", 4, 14, "expected ')' to close the '(' at column 10" },
        { Header + "p = process\nfill p 0 4K +\n", 4, 14, "expected a value after '+', found end of line" },
        { Header + "p = process\nh = get_user_pages p 0 1 write|4\n", 4, 32, "expected a flag name on each side of '|'" },
        { Header + "p = process\nsnapshot 12\n", 4, 10, "expected a label string, found number 12" },
        { Header + "p = process\nuffd_wp p 0 4K maybe\n", 4, 16, "expected on or off" },

        // Kinds of value and constants out of range, found before anything runs.
        { Header + "p = process\nc = fork 12\n", 4, 10, "expected a process, found a number" },
        { Header + "p = process\nm = mmap p 4K\nc = fork m\n", 5, 10, "expected a process, found an address in 'm'" },
        { Header + "p = process\nm = mmap p 4K\nfill p m 4K 256\n", 5, 13, "expected a byte value 0..255, found 256" },
        { Header + "p = process\nm = mmap p 4K\nfill p m 4K - 8K 1\n", 5, 13, "leaves the range" },
        { Header + "p = process\nm = mmap p 4K\nfill p m 4K / 0 1\n", 5, 13, "division by zero" },
        { Header + "p = process\nm = mmap p 4K\nexpect \"x\": read p m 4K == 300\n", 5, 28, "compared with a byte value 0..255, found 300" },
        { Header + "p = process\nexpect \"x\": p == 1\n", 4, 1, "cannot compare a process with a number" },
        { Header + "p = process\nm = mmap p 4K align=3K\n", 4, 21, "expected a power-of-two alignment" },
        { Header + "p = process\nm = mmap p 4K hugetlb=4K\n", 4, 23, "expected a hugetlb size of 2M or 1G" },
        { Header + "f = memfd 4K hugetlb=64K\n", 3, 22, "expected a hugetlb size of 2M or 1G" },
        { Header + "p = process\nm = mmap p 4K\nh = pin_user_pages p m 0\n", 5, 24, "expected a page count" },
        { Header + "p = process\nm = mmap p 4K\nnr_hugepages 2M m\n", 5, 17, "nr_hugepages needs constant arguments" },
        { Header + "p = process\nm = mmap p 4K\nh = pin_user_pages p m 1 write\nput_pages h\n", 6, 11, "expected a FOLL_GET page reference handle, found a FOLL_PIN page pin handle in 'h'" },
        { Header + "p = process\nm = mmap p 4K\npipe = vmsplice p m 4K\ndevice_write pipe 1\n", 6, 14, "expected a page handle" },
        { Header + "x = force|anon\n", 3, 5, "a '|' flag list is not a value here" },
        { Header + "p = process\nx = \"ok\"\nfill p x 4K 1\n", 5, 8, "expected a number, found a string in 'x'" },
        { Header + "p = process\nr = try exit p\nexpect \"x\": r == 0\n", 5, 1, "cannot compare a string with a number" },

        { Header + "r = try\n", 3, 5, "expected an operation after 'try'" },
        { Header + "r = try 12\n", 3, 9, "expected an operation after 'try'" },
        { Header + "r = try try exit\n", 3, 9, "'try try' is not allowed" },
        { Header + "p = process\nr = try munmap p 0\n", 4, 18, "expected the length as argument 3 of 'munmap'" },

        // Checks.
        { Header + "expect no label: 1 == 1\n", 3, 8, "expected the check's label as a quoted string" },
        { Header + "expect \"l\" 1 == 1\n", 3, 12, "expected ':' after the label" },
        { Header + "expect \"l\": 1 = 1\n", 3, 15, "expected '==' or '!='" },
        { Header + "expect \"l\": 1 ==\n", 3, 17, "expected the expected value or query after '=='" },
        { Header + "p = process\nexpect \"l\": munmap p 0 4K == 1\n", 4, 13, "'munmap' is not a query" },
        { Header + "expect \"l\": 1 == 1 1\n", 3, 20, "expected end of line after the check" },

        // Headers and verdicts.
        { "verdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass\np = process\n", 1, 1, "expected a 'scenario \"name\"' header" },
        { "scenario t\n", 1, 10, "expected the scenario's name as a quoted string" },
        { "scenario \"t\"\np = process\n", 1, 1, "has no default verdict" },
        { "scenario \"t\"\nverdict Mapcount=pass ForcedCowGup=pass Refcount=pass\n", 2, 1, "the default verdict must give every era that refines no other; missing AnonExclusive" },
        { "scenario \"t\"\nverdict M=pass F=pass R=pass X=maybe\n", 2, 32, "expected a verdict for era X (pass, FAIL or XFAIL), found 'maybe'" },
        { "scenario \"t\"\nverdict M=pass M=FAIL F=pass R=pass X=pass\n", 2, 16, "era M is given twice" },
        { "scenario \"t\"\nverdict Q=pass\n", 2, 9, "expected an era (Mapcount, ForcedCowGup, EarlyRefcount, Refcount, EarlyAnonExclusive, AnonExclusive (or M, F, R, X)), found 'Q'" },
        { "scenario \"t\"\nverdict M=pass Mapcount=FAIL F=pass R=pass X=pass\n", 2, 16, "era Mapcount is given twice" },
        { "scenario \"t\"\nverdict M pass\n", 2, 11, "expected '=' after era M" },
        { Header + "verdict M=FAIL F=pass R=pass X=pass\n", 3, 1, "a second default verdict" },
        { Header + "verdict hugetlb*: AnonExclusive=XFAIL\n", 3, 1, "matches no backing" },
        { Header + "verdict : AnonExclusive=XFAIL\n", 3, 9, "expected a backing pattern before ':'" },
        { Header + "scenario \"u\"\n", 3, 1, "a file holds one scenario" },

        // Backings, groups and setup.
        { Header + "backing b \"b\"\nm = mmap p 4K\n", 3, 1, "backing 'b' is not closed" },
        { Header + "end\n", 3, 1, "'end' without an open 'backing' block" },
        { Header + "backing b\nend\n", 3, 10, "expected the display name of backing 'b'" },
        { Header + "backing b \"b\" for x 4K\nend\n", 3, 21, "expected 'in' after 'for x'" },
        { Header + "backing b \"b\" for x in big\nend\n", 3, 24, "expected a size value for 'x'" },
        { Header + "backing b \"b\"\nverdict M=pass F=pass R=pass X=pass\nend\n", 4, 1, "cannot appear inside backing 'b'" },
        { Header + "backing b \"b\"\nsetup\nend\n", 4, 1, "'setup' cannot appear inside a backing" },
        { Header + "backing b \"b\"\nend\nbacking b \"c\"\nend\n", 5, 1, "'b' is defined twice" },
        { Header + "over nothing\nsetup\n", 3, 6, "unknown backing or group 'nothing'" },
        { Header + "backing b \"b\"\nend\nover b\n", 1, 1, "must call 'setup' exactly once (found 0)" },
        { Header + "backing b \"b\"\nend\nover b\nsetup\nsetup\n", 7, 1, "'setup' may appear only once" },
        { Header + "backing b \"b\"\nend\nover b\nsetup b\n", 6, 1, "write 'setup' without a name" },
        { Header + "backing b \"b\" for x in 4K, 8K\nend\nsetup b\n", 5, 7, "must name a single backing, but it stands for 2" },
        { Header + "setup 12\n", 3, 7, "expected a backing name, found number 12" },
        { Header + "thp_enabled 2M sometimes\n", 3, 16, "expected the THP mode (always, madvise, never)" },
        { Header + "setup\n", 3, 1, "has no 'over' line" },
        { Header + "group g = g\nover g\nsetup\n", 3, 11, "group 'g' contains itself" },
        { Header + "group g = \n", 3, 11, "expected a backing or group name" },
        { Header + "backing b \"b\"\nend\nover b c\n", 5, 8, "separate names with ','" },
        { Header + "include missing\n", 3, 9, "expected a quoted file path after 'include'" },
        { Header + "include \"does-not-exist.cow\"\n", 3, 1, "cannot read" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_input_reports_location_and_cause(string text, int line, int column, string cause)
    {
        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadText(TestFiles.VirtualPath, text));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Contains(cause, diagnostic.Cause, StringComparison.Ordinal);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.StartsWith($"{TestFiles.VirtualPath}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_cycle_is_reported_at_the_include_line()
    {
        using var directory = new TestFiles();
        directory.Write("a.cow", "include \"b.cow\"\n");
        directory.Write("b.cow", "include \"a.cow\"\n");
        var scenario = directory.Write("s.cow", Header + "include \"a.cow\"\n");

        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadFile(scenario));

        Assert.Equal(DiagnosticKind.File, error.Diagnostics[0].Kind);
        Assert.Contains("include cycle: s.cow -> a.cow -> b.cow -> a.cow", error.Cause, StringComparison.Ordinal);
        Assert.Equal(1, error.Location.Line);
    }

    [Fact]
    public void Including_a_scenario_file_is_rejected()
    {
        using var directory = new TestFiles();
        directory.Write("other.cow", Header);
        var scenario = directory.Write("s.cow", Header + "include \"other.cow\"\n");

        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadFile(scenario));

        Assert.Contains("is not a backing library", error.Cause, StringComparison.Ordinal);
        Assert.Equal((3, 1), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void Error_in_an_included_file_points_into_that_file()
    {
        using var directory = new TestFiles();
        var library = directory.Write("lib.cow", "backing b \"b\"\nm = mmap\nend\n");
        var scenario = directory.Write("s.cow", Header + "include \"lib.cow\"\n");

        var error = Assert.Throws<ScenarioLoadException>(() => ScenarioLoader.LoadFile(scenario));

        Assert.Equal(library, error.Location.File);
        Assert.Equal(2, error.Location.Line);
    }
}
