using CowGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0002JustificationMissingAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

/// <summary>
/// CG0002, continued: every way C# can name the [WrongSideCowOk] class (the Attribute suffix, qualified and alias-qualified names, local,
/// namespace-level and global using aliases, escaped identifiers) and every place that can carry it: CG0002 must read
/// them all, and nothing that merely looks like it.
/// </summary>
public sealed partial class CG0002Tests
{
    private static Task DiagnoseSourcesAsync(params string[] sources)
    {
        var test = new Verify();
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        return test.WithTestApis().RunAsync();
    }

    [Fact]
    public Task Suffix_and_qualified_names_are_read() => DiagnoseSourcesAsync("""
        class C
        {
            [CowGuard.VmModel.WrongSideCowOkAttribute({|CG0002:"<Pending>"|})]
            void A() { }

            [global::CowGuard.VmModel.WrongSideCowOk({|CG0002:"<Pending>"|})]
            void B() { }

            [CowGuard.VmModel.@WrongSideCowOkAttribute({|CG0002:"<Pending>"|})]
            void D() { }
        }
        """);

    [Fact]
    public Task Using_aliases_are_read() => DiagnoseSourcesAsync("""
        using Ok = CowGuard.VmModel.WrongSideCowOkAttribute;
        using ReasonAttribute = CowGuard.VmModel.WrongSideCowOkAttribute;
        using VM = CowGuard.VmModel;

        class C
        {
            [Ok({|CG0002:"<Pending>"|})]
            void A() { }

            [Reason({|CG0002:"<Pending>"|})]
            void B() { }

            [ReasonAttribute({|CG0002:"<Pending>"|})]
            void D() { }

            [VM.WrongSideCowOk({|CG0002:"<Pending>"|})]
            void E() { }

            [VM::WrongSideCowOk({|CG0002:"<Pending>"|})]
            void F() { }
        }
        """);

    [Fact]
    public Task Global_and_namespace_level_aliases_are_read() => DiagnoseSourcesAsync(
        """
        namespace N
        {
            using Nested = Justified;

            class C
            {
                [Justified({|CG0002:"<Pending>"|})]
                void A() { }

                [Nested({|CG0002:"<Pending>"|})]
                void B() { }
            }
        }
        """,
        """
        global using Justified = CowGuard.VmModel.WrongSideCowOkAttribute;
        """);

    [Fact]
    public Task Escaped_identifiers_are_read() => DiagnoseSourcesAsync("""
        using CowGuard.VmModel;
        class C
        {
            [WrongSide\u0043owOk({|CG0002:"<Pending>"|})]
            void A() { }

            [WrongSideCowOk\u0041ttribute({|CG0002:"<Pending>"|})]
            void B() { }
        }
        """);

    [Fact]
    public Task A_same_named_attribute_of_another_namespace_is_not_read() => DiagnoseSourcesAsync("""
        namespace Other
        {
            [System.AttributeUsage(System.AttributeTargets.All)]
            sealed class WrongSideCowOkAttribute(string why) : System.Attribute
            {
                public string Why { get; } = why;
            }

            class C
            {
                [WrongSideCowOk("<Pending>")]
                void A() { }
            }
        }
        """);

    [Fact]
    public Task Attributes_on_other_targets_are_not_read() => DiagnoseSourcesAsync("""
        using System;
        using CowGuard.VmModel;
        class C
        {
            [Obsolete("<Pending>")]
            void A([GupFlags] FollFlags flags) { }

            void B()
            {
                Func<FollFlags, FollFlags> f = ([GupFlags] FollFlags x) => x;
            }
        }
        """);

    [Fact]
    public Task A_partial_method_is_read_once_when_its_implementation_carries_it() => DiagnoseSourcesAsync("""
        using CowGuard.VmModel;
        partial class P
        {
            partial void Take();

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            partial void Take() { }
        }
        """);

    [Fact]
    public Task Partial_types_are_read_in_every_part() => DiagnoseSourcesAsync(
        """
        using CowGuard.VmModel;
        partial class P { }
        [WrongSideCowOk({|CG0002:"<Pending>"|})]
        partial struct S { }
        """,
        """
        using CowGuard.VmModel;
        [WrongSideCowOk({|CG0002:"<Pending>"|})]
        partial class P { }
        partial struct S { }
        """);

    [Fact]
    public Task Explicit_targets_are_read() => DiagnoseSourcesAsync("""
        using System;
        using CowGuard.VmModel;
        [type: WrongSideCowOk({|CG0002:"<Pending>"|})]
        [method: WrongSideCowOk({|CG0002:"TODO"|})]
        class C(int unused)
        {
            [method: WrongSideCowOk({|CG0002:"<Pending>"|})]
            static C() { }

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            ~C() { }

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            public static C operator +(C a, C b) => a;

            [WrongSideCowOk({|CG0002:"<Pending>"|})]
            public static explicit operator int(C c) => 0;

            event Action E
            {
                [WrongSideCowOk({|CG0002:"<Pending>"|})]
                add { }
                [method: WrongSideCowOk({|CG0002:"<Pending>"|})]
                remove { }
            }

            int Q
            {
                get => 0;
                [WrongSideCowOk({|CG0002:"<Pending>"|})]
                set { }
            }

            int R { [WrongSideCowOk({|CG0002:"<Pending>"|})] get; init; }
        }
        """);

    [Fact]
    public Task A_positional_record_property_is_read() => DiagnoseSourcesAsync("""
        using CowGuard.VmModel;
        record R([property: WrongSideCowOk({|CG0002:"<Pending>"|})] int N, int M);
        record struct S([property: WrongSideCowOk({|CG0002:"TODO"|})] int N);
        """);

    [Fact]
    public Task Lambdas_and_local_functions_are_read_wherever_they_are() => DiagnoseSourcesAsync("""
        using System;
        using CowGuard.VmModel;
        class C
        {
            private readonly Func<int> _field = [WrongSideCowOk({|CG0002:"<Pending>"|})] () => 0;

            private Func<int> Property { get; } = [WrongSideCowOk({|CG0002:"<Pending>"|})] static () => 1;

            void M()
            {
                Action outer = [WrongSideCowOk("A reason that is long enough to pass")] () =>
                {
                    [WrongSideCowOk({|CG0002:"<Pending>"|})]
                    void InsideLambda() { }
                    InsideLambda();
                };

                void Local()
                {
                    Func<int, int> inner = [WrongSideCowOk({|CG0002:"<Pending>"|})] (int x) => x;
                }

                Local();
            }
        }
        """);

    [Fact]
    public Task Only_the_first_of_duplicate_attributes_is_read() => new Verify
    {
        TestState =
        {
            Sources =
            {
                """
                using CowGuard.VmModel;
                class C
                {
                    [WrongSideCowOk({|CG0002:"<Pending>"|})]
                    [WrongSideCowOk("TODO")]
                    void M() { }
                }
                """,
            },
        },
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.WithTestApis().RunAsync();
}
