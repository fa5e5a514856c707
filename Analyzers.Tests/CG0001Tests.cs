using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using CowGuard.CodeFixes;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer,
    CowGuard.CodeFixes.CG0001AddBreakCowCodeFix>;

namespace CowGuard.Analyzers.Tests;

/// <summary>CG0001, the core rule: which flags break COW. The other concerns are in the partial files next door:
/// .Scopes (which [WrongSideCowOk] covers a call), .Recognition (which calls are page-reference calls, in which
/// language constructs), .CodeFixes (the three fixes and Fix All). Every flow shape of the flags is in
/// Soundness/SoundnessTests.</summary>
public sealed partial class CG0001Tests
{
    private static Task DiagnoseAsync(string source, string? editorConfig = null)
    {
        var test = new Verify { TestCode = source }.WithTestApis();
        if (editorConfig is not null)
        {
            test.WithEditorConfig(editorConfig);
        }

        return test.RunAsync();
    }

    private static Task FixAsync(string source, string fixedSource) =>
        new Verify { TestCode = source, FixedCode = fixedSource }.WithTestApis().RunAsync();

    private static Task FixWithWriteAsync(string source, string fixedSource) =>
        new CowGuardTest<CG0001PageReferenceWithoutBreakCowAnalyzer, CG0001AddWriteCodeFix>
        {
            TestCode = source,
            FixedCode = fixedSource,
        }.WithTestApis().RunAsync();

    [Fact]
    public Task Call_without_break_cow_is_reported_on_the_method_name() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
        }
        """);

    [Theory]
    [InlineData("FollFlags.Write")]
    [InlineData("FollFlags.BreakCow")]
    [InlineData("FollFlags.Write | FollFlags.Force")]
    [InlineData("FollFlags.BreakCow | FollFlags.Longterm")]
    [InlineData("(FollFlags)1")]
    [InlineData("(FollFlags)(1 << 20)")]
    [InlineData("checked((FollFlags)1)")]
    [InlineData("(FollFlags.Force | FollFlags.Write) & FollFlags.Write")]
    [InlineData("~FollFlags.None")]
    [InlineData("FollFlags.Force ^ FollFlags.Write ^ FollFlags.Force")]
    [InlineData("~(FollFlags.Force) & FollFlags.BreakCow")]
    public Task Flags_that_break_cow_are_not_reported(string flags) => DiagnoseAsync($$"""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M() => Api.Get(0, 1, {{flags}});
        }
        """);

    [Theory]
    [InlineData("FollFlags.None")]
    [InlineData("FollFlags.Force | FollFlags.Longterm")]
    [InlineData("(FollFlags)0")]
    [InlineData("(FollFlags)8")]
    [InlineData("default")]
    [InlineData("default(FollFlags)")]
    [InlineData("(FollFlags.Write | FollFlags.Force) & ~FollFlags.Write")]
    [InlineData("FollFlags.Write ^ FollFlags.Write")]
    [InlineData("~~FollFlags.Force")]
    [InlineData("((FollFlags.Force))")]
    [InlineData("unchecked(FollFlags.Force & FollFlags.Write)")]
    public Task Flags_without_break_cow_are_reported(string flags) => DiagnoseAsync($$"""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M() => Api.{|CG0001:Get|}(0, 1, {{flags}});
        }
        """);

    [Fact]
    public Task Const_fields_and_locals_are_evaluated() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            const FollFlags ReadOnly = FollFlags.Force;
            const FollFlags Unshare = FollFlags.BreakCow | ReadOnly;
            void M()
            {
                const FollFlags local = ReadOnly | FollFlags.Anon;
                Api.{|CG0001:Get|}(0, 1, ReadOnly);
                Api.{|CG0001:Get|}(0, 1, local);
                Api.Get(0, 1, Unshare);
                Api.Get(0, 1, local | FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Locals_never_written_after_declaration_are_read_through_their_initializer() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b)
            {
                var none = FollFlags.None;
                Api.{|CG0001:Get|}(0, 1, none);
                var chosen = b ? FollFlags.Force : FollFlags.Write;
                Api.{|CG0001:Get|}(0, 1, chosen);
                var unshare = FollFlags.BreakCow;
                System.Func<PageRefs> later = () => Api.Get(0, 1, unshare);
            }
        }
        """);

    [Fact]
    public Task Named_out_of_order_and_default_arguments_are_bound_to_the_flags_parameter() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.{|CG0001:Get|}(flags: FollFlags.None, nrPages: 1, start: 0);
                Api.Get(flags: FollFlags.Write, nrPages: 1, start: 0);
                Api.Get(nrPages: 1, flags: FollFlags.BreakCow, start: 0);
                Api.{|CG0001:GetDefault|}(0, 1);
                Api.GetDefault(0, 1, FollFlags.Write);
                Api.GetDefault(nrPages: 1, start: 0, flags: FollFlags.BreakCow);
            }
        }
        """);

    [Fact]
    public Task Conditional_flags_are_reported_when_one_branch_does_not_break_cow() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool write, int mode)
            {
                Api.Get(0, 1, write ? FollFlags.Write : FollFlags.BreakCow);
                Api.{|CG0001:Get|}(0, 1, write ? FollFlags.Write : FollFlags.None);
                Api.Get(0, 1, (write ? FollFlags.Force : FollFlags.None) | FollFlags.BreakCow);
                Api.{|CG0001:Get|}(0, 1, mode switch { 0 => FollFlags.Write, 1 => FollFlags.BreakCow, _ => FollFlags.Force });
                Api.Get(0, 1, mode switch { 0 => FollFlags.Write, _ => FollFlags.BreakCow });
            }
        }
        """);

    [Fact]
    public Task Forwarding_call_inside_wrapper_is_not_reported_but_calls_to_the_wrapper_are() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Grab(ulong start, [GupFlags] FollFlags flags) => Api.Get(start, 1, flags);
            public static PageRefs GrabForce(ulong start, [GupFlags] FollFlags flags) => Api.Get(start, 1, flags | FollFlags.Force);
            public static PageRefs GrabWritable(ulong start, [GupFlags] FollFlags flags) => Api.Get(start, 1, flags | FollFlags.Write);
            public static PageRefs GrabTwice([GupFlags] FollFlags flags) => Grab(0, flags);
        }
        class C
        {
            void M()
            {
                Wrapper.{|CG0001:Grab|}(0, FollFlags.None);
                Wrapper.Grab(0, FollFlags.BreakCow);
                Wrapper.{|CG0001:GrabForce|}(0, FollFlags.None);
                // Callers are checked against the wrapper's [GupFlags] contract, not against its current body.
                Wrapper.{|CG0001:GrabWritable|}(0, FollFlags.None);
                Wrapper.{|CG0001:GrabTwice|}(FollFlags.Force);
                Wrapper.GrabTwice(FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Flags_masked_inside_a_wrapper_are_checked_at_the_masking_call() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Strip([GupFlags] FollFlags flags) => Api.{|CG0001:Get|}(0, 1, flags & FollFlags.Force);
        }
        """);
}
