using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using CowGuard.CodeFixes;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0004FlagsNotProvableAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0004Tests
{
    private static Task DiagnoseAsync(string source) => new Verify { TestCode = source }.WithTestApis().RunAsync();

    [Fact]
    public Task Non_constant_flags_are_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly FollFlags ReadOnlyField = FollFlags.Force;
            FollFlags Property { get; set; }
            static FollFlags Compute() => FollFlags.Write;
            static void Touch(ref FollFlags flags) { }
            void M(FollFlags plain, bool b)
            {
                var local = FollFlags.Write;
                if (b) { local = Compute(); }
                Api.{|CG0004:Get|}(0, 1, local);
                var passedByRef = FollFlags.Write;
                Touch(ref passedByRef);
                Api.{|CG0004:Get|}(0, 1, passedByRef);
                Api.{|CG0004:Get|}(0, 1, plain);
                Api.{|CG0004:Get|}(0, 1, ReadOnlyField);
                Api.{|CG0004:Get|}(0, 1, Property);
                Api.{|CG0004:Get|}(0, 1, Compute());
                Api.{|CG0004:Get|}(0, 1, b ? plain : FollFlags.Write);
                Api.{|CG0004:Get|}(0, 1, (FollFlags)(int)plain);
            }
        }
        """);

    [Fact]
    public Task Provable_forms_are_not_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly FollFlags ReadOnlyField = FollFlags.Force;
            void M(FollFlags plain, [GupFlags] FollFlags forwarded)
            {
                Api.Get(0, 1, plain | FollFlags.BreakCow);
                Api.Get(0, 1, ReadOnlyField | FollFlags.Write);
                Api.Get(0, 1, forwarded);
                Api.Get(0, 1, forwarded | FollFlags.Force);
                Api.Get(0, 1, FollFlags.None);
                var once = FollFlags.Write;
                var derived = once | FollFlags.Force;
                Api.Get(0, 1, derived);
                var fromParameter = forwarded;
                Api.Get(0, 1, fromParameter);
            }
        }
        """);

    [Fact]
    public Task Masked_or_mixed_forwarding_is_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M([GupFlags] FollFlags a, [GupFlags] FollFlags b, FollFlags plain)
            {
                Api.{|CG0004:Get|}(0, 1, a & ~FollFlags.Write);
                Api.{|CG0004:Get|}(0, 1, a | b);
                Api.{|CG0004:Get|}(0, 1, a | plain);
                Api.{|CG0004:Get|}(0, 1, ~a);
                Api.{|CG0004:Get|}(0, 1, (FollFlags)(byte)a);
            }
        }
        """);

    [Fact]
    public Task Justified_calls_are_not_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [WrongSideCowOk("Flags come from a reviewed table of read-only dump modes")]
            void M(FollFlags plain) => Api.Get(0, 1, plain);
        }
        """);

    [Fact]
    public Task Add_attribute_fix_is_offered() => new CowGuardTest<CG0004FlagsNotProvableAnalyzer, CG0001AddWrongSideCowOkCodeFix>
    {
        TestCode = """
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                void M(FollFlags plain) => Api.{|CG0004:Get|}(0, 1, plain);
            }
            """,
        FixedCode = """
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                [WrongSideCowOk("<Pending>")]
                void M(FollFlags plain) => Api.Get(0, 1, plain);
            }
            """,
    }.WithTestApis().RunAsync();
}
