using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Tests.LiveKernel.Translation;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>Reading a program's CHECK lines back (no kernel needed): each line maps to its check by index, values print as the model prints them.</summary>
public sealed class LiveOutputTests
{
    private static readonly ScenarioInstance Instance = ScenarioLoader.LoadText(TestFiles.VirtualPath, """
        scenario "t"
        verdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass
        p = process
        m = mmap p 4K
        expect "hidden": refcount p m == 1
        expect "moved": m != 0x7f0000000000
        expect "same page": read p m 4K == 0
        """).Single();

    private static readonly CProgram Program = CTranslator.Translate(Instance, "i0", TargetKernels.Full);

    [Fact]
    public void A_failed_not_equal_check_says_not_and_addresses_print_in_hex()
    {
        var result = LiveOutput.Parse(Instance, Program, 0, ["CG CHECK 1 FAIL num:139637976727552 | num:139637976727552", "CG CHECK 2 PASS bytes:4096:u:0 | num:0", "CG DONE"]);

        Assert.Equal(LiveOutcome.Ran, result.Outcome);
        Assert.Equal("FAIL moved: observed 0x7f0000000000, expected not 0x7f0000000000 (live kernel)", result.Checks[0].Format());
        Assert.Equal([1, 2], result.Checks.Select(c => c.Check.Index));
        Assert.Equal(["hidden"], result.Unchecked.Select(c => c.Label));
    }

    [Fact]
    public void Small_numbers_print_in_decimal_like_the_model()
    {
        var result = LiveOutput.Parse(Instance, Program, 0, ["CG CHECK 1 PASS num:4095 | num:7", "CG CHECK 2 FAIL bytes:4096:u:255 | num:0", "CG DONE"]);

        Assert.Equal("FAIL same page: observed 0xff×4096, expected 0 (live kernel)", result.Checks[1].Format());
    }

    [Fact]
    public void Checks_missing_from_the_output_are_an_error_not_a_verdict()
    {
        var result = LiveOutput.Parse(Instance, Program, 0, ["CG CHECK 1 PASS num:1 | num:0", "CG DONE"]);

        Assert.Equal(LiveOutcome.Error, result.Outcome);
        Assert.Contains("printed 1 checks, expected 2", result.Reason, StringComparison.Ordinal);
    }
}
