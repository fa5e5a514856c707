using CowGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0002JustificationMissingAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

public sealed partial class CG0002Tests
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

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"<Pending>\"")]
    [InlineData("\"TODO\"")]
    [InlineData("\"todo.\"")]
    [InlineData("\"TBD\"")]
    [InlineData("\"FIXME\"")]
    [InlineData("\"By design\"")]
    [InlineData("\"safe\"")]
    [InlineData("\"n/a\"")]
    [InlineData("\"TODO: explain why this is fine\"")]
    [InlineData("\"Reads only; FIXME later when fork lands\"")]
    [InlineData("\"short one\"")]
    public Task Non_justifications_are_reported(string argument) => DiagnoseAsync($$"""
        using CowGuard.VmModel;
        class C
        {
            [WrongSideCowOk({|CG0002:{{argument}}|})]
            void M() { }
        }
        """);

    [Theory]
    [InlineData("\"Core dump reads a stopped process; nothing can fork or write\"")]
    [InlineData("\"The todos list is read-only after fork\"")]
    [InlineData("Reasons.Dump")]
    [InlineData("\"Reads \" + \"a frozen snapshot\"")]
    public Task Real_justifications_are_accepted(string argument) => DiagnoseAsync($$"""
        using CowGuard.VmModel;
        static class Reasons { public const string Dump = "Core dump of a stopped process"; }
        class C
        {
            [WrongSideCowOk({{argument}})]
            void M() { }
        }
        """);

    [Fact]
    public Task Every_attributable_scope_is_checked() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        [WrongSideCowOk({|CG0002:"<Pending>"|})]
        class C(int unused)
        {
            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            C() : this(0) { }

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            int P => 0;

            int Q
            {
                [WrongSideCowOk({|CG0002:"<Pending>"|})]
                get => 0;
            }

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            int this[int i] => i;

            void M()
            {
                Func<int> lambda = [WrongSideCowOk({|CG0002:"<Pending>"|})] () => 0;

                [WrongSideCowOk({|CG0002:"<Pending>"|})]
                static int Local() => 0;
            }
        }
        [WrongSideCowOk({|CG0002:"<Pending>"|})]
        struct S { }
        [method: WrongSideCowOk({|CG0002:"<Pending>"|})]
        record R(int N);
        partial class P
        {
            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            partial void Take();
            partial void Take() { }
        }
        """);

    [Fact]
    public Task Minimum_length_is_configurable() => DiagnoseAsync(
        """
        using CowGuard.VmModel;
        class C
        {
            [WrongSideCowOk({|CG0002:"Read-only DMA of a frozen page"|})]
            void M() { }
            [WrongSideCowOk("Read-only DMA of a frozen page, the child never writes it")]
            void N() { }
        }
        """,
        "cowguard.CG0002.minimum_length = 40");

    [Fact]
    public Task Placeholders_and_markers_are_configurable() => DiagnoseAsync(
        """
        using CowGuard.VmModel;
        class C
        {
            [WrongSideCowOk({|CG0002:"Reviewed by the mm team"|})]
            void M() { }
            [WrongSideCowOk("TODO is allowed here because the team uses it differently")]
            void N() { }
            [WrongSideCowOk({|CG0002:"See HACK-123 for the reasoning behind it"|})]
            void O() { }
        }
        """,
        "cowguard.CG0002.placeholders = reviewed by the mm team, whatever\ncowguard.CG0002.markers = HACK");

    [Fact]
    public Task Malformed_options_fall_back_to_defaults() => DiagnoseAsync(
        """
        using CowGuard.VmModel;
        class C
        {
            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            void M() { }
            [WrongSideCowOk("A real reason that is long enough")]
            void N() { }
        }
        """,
        "cowguard.CG0002.minimum_length = lots\ncowguard.type_level_justification = maybe");

    [Fact]
    public Task Attribute_with_errors_produces_no_analyzer_failure() => new Verify
    {
        TestState =
        {
            Sources =
            {
                """
                using CowGuard.VmModel;
                class C
                {
                    [WrongSideCowOk]
                    void M() { }
                    [WrongSideCowOk(42)]
                    void N() { }
                    [WrongSideCowOk("a", "b")]
                    void O() { }
                    [WrongSideCowOk(
                    void P() { }
                }
                """,
            },
        },
        CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics.None,
    }.WithTestApis().RunAsync();
}
