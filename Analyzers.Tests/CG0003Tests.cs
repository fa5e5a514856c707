using CowGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0003StaleJustificationAnalyzer,
    CowGuard.CodeFixes.CG0003RemoveStaleAttributeCodeFix>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0003Tests
{
    private const string Enable = "dotnet_diagnostic.CG0003.severity = suggestion";

    private static Task DiagnoseAsync(string source, string options = Enable) =>
        new Verify { TestCode = source }.WithTestApis().WithEditorConfig(options).RunAsync();

    private static Task FixAsync(string source, string fixedSource) =>
        new Verify { TestCode = source, FixedCode = fixedSource }.WithTestApis().WithEditorConfig(Enable).RunAsync();

    [Fact]
    public void Disabled_by_default_at_info_severity()
    {
        var rule = Assert.Single(new CowGuard.Analyzers.Rules.CG0003StaleJustificationAnalyzer().SupportedDiagnostics);
        Assert.False(rule.IsEnabledByDefault);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, rule.DefaultSeverity);
    }

    [Fact]
    public Task Attribute_over_safe_or_no_calls_is_stale() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [{|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
            void Empty() { }

            [{|CG0003:WrongSideCowOk("The call below breaks COW already, so this is moot")|}]
            void Safe() => Api.Get(0, 1, FollFlags.BreakCow);

            [{|CG0003:WrongSideCowOk("Forwarding wrappers are checked at their callers")|}]
            PageRefs Forward([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);

            void Lambda()
            {
                Func<PageRefs> f = [{|CG0003:WrongSideCowOk("The lambda breaks COW itself now")|}] () => Api.Get(0, 1, FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Attribute_that_covers_a_call_is_not_stale() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [WrongSideCowOk("Read-only snapshot of a stopped process")]
            void Direct() => Api.Get(0, 1, FollFlags.None);

            [WrongSideCowOk("Flags come from a reviewed table of dump modes")]
            void Unprovable(FollFlags flags) => Api.Get(0, 1, flags);

            [WrongSideCowOk("The delegate is only used by the dump writer")]
            Func<ulong, int, PageRefs> Group() => Api.Vmsplice;

            [WrongSideCowOk("Covers the lambda and the local function inside")]
            void Outer()
            {
                Func<PageRefs> f = () => Api.Get(0, 1, FollFlags.None);
                PageRefs Local() => Api.Vmsplice(0, 1);
            }

            [WrongSideCowOk("Read-only snapshot of a stopped process")]
            PageRefs Property => Api.Get(0, 1, FollFlags.None);
        }
        [WrongSideCowOk("The whole type only writes core dumps")]
        class Dumper
        {
            void M() => Api.Get(0, 1, FollFlags.Dump);
        }
        partial class P
        {
            [WrongSideCowOk("Declared on the defining part of the partial method")]
            partial void Take();
            partial void Take() => Api.Vmsplice(0, 1);
        }
        """);

    [Fact]
    public Task Outer_attribute_is_stale_when_inner_ones_cover_everything() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        [{|CG0003:WrongSideCowOk("Type-level reason that nothing relies on any more")|}]
        class C
        {
            [WrongSideCowOk("Read-only snapshot of a stopped process")]
            void Direct() => Api.Get(0, 1, FollFlags.None);
        }
        """);

    [Fact]
    public Task Type_level_attribute_of_a_type_with_nested_types_is_never_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        [WrongSideCowOk("The whole type only writes core dumps")]
        class Outer
        {
            class Inner { void M() => Api.Get(0, 1, FollFlags.None); }
        }
        [WrongSideCowOk("The whole type only writes core dumps")]
        class Unused
        {
            class Inner { }
        }
        """);

    [Fact]
    public Task Type_level_attribute_is_stale_when_type_level_justifications_are_off() => DiagnoseAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        [{|CG0003:WrongSideCowOk("The whole type only writes core dumps")|}]
        class Dumper
        {
            [WrongSideCowOk("Read-only snapshot of a stopped process")]
            void M() => Api.Get(0, 1, FollFlags.None);
        }
        """,
        Enable + "\ncowguard.type_level_justification = false");

    [Fact]
    public Task Remove_fix_deletes_the_attribute_list_or_only_the_attribute() => FixAsync(
        """
        using System;
        using CowGuard.VmModel;
        class C
        {
            [{|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
            void M() { }

            [Obsolete, {|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
            void N() { }
        }
        """,
        """
        using System;
        using CowGuard.VmModel;
        class C
        {
            void M() { }

            [Obsolete]
            void N() { }
        }
        """);

    [Fact]
    public Task Fix_all_removes_every_stale_attribute_in_every_document()
    {
        var test = new Verify();
        test.TestState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            class A
            {
                [{|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
                void M() { }

                [{|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
                void N() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            [{|CG0003:WrongSideCowOk("Nothing here takes page references any more")|}]
            struct B { }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            class A
            {
                void M() { }

                void N() { }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            struct B { }
            """));
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.WithTestApis().WithEditorConfig(Enable).RunAsync();
    }

    [Fact]
    public Task Attributes_that_accept_a_delegate_conversion_or_an_unprovable_call_are_used() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static FollFlags s_flags = FollFlags.Write;

            [WrongSideCowOk("The delegate is only invoked with Write by the dump writer")]
            Func<FollFlags, PageRefs> Lambda() => ([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);

            Func<FollFlags, PageRefs> OwnAttribute() =>
                [WrongSideCowOk("The delegate is only invoked with Write by the dump writer")] ([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);

            [WrongSideCowOk("The field only ever holds Write; it is set once at start-up")]
            PageRefs Field() => Api.Get(0, 1, s_flags);

            [{|CG0003:WrongSideCowOk("The local below is proven to break COW on every path")|}]
            PageRefs Proven(bool b)
            {
                var flags = FollFlags.BreakCow;
                if (b) { flags = FollFlags.Write; }
                return Api.Get(0, 1, flags);
            }
        }
        """);
}
