using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using CowGuard.CodeFixes;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer,
    CowGuard.CodeFixes.CG0001AddBreakCowCodeFix>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0001Tests
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
    public Task Apis_without_flags_parameter_are_always_reported() => DiagnoseAsync("""
        using Lib;
        class C
        {
            void M() => Api.{|CG0001:Vmsplice|}(0, 1);
        }
        """);

    [Fact]
    public Task Non_page_reference_calls_are_ignored() => DiagnoseAsync("""
        using CowGuard.VmModel;
        class C
        {
            static int Get(ulong start, int nrPages, FollFlags flags) => 0;
            void M() => Get(0, 1, FollFlags.None);
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

    [Fact]
    public Task Page_reference_api_annotated_on_the_method_forwards_its_own_flags() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class MyGup
        {
            [PageReferenceApi]
            public static PageRefs Fast(ulong start, [GupFlags] FollFlags flags) => Api.Get(start, 1, flags);
        }
        class C
        {
            void M() => MyGup.{|CG0001:Fast|}(0, FollFlags.Anon);
        }
        """);

    [Fact]
    public Task Attribute_on_method_covers_the_call() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [WrongSideCowOk("Read-only snapshot of pages nobody writes after fork")]
            void M() => Api.Get(0, 1, FollFlags.None);
        }
        """);

    [Fact]
    public Task Lambdas_and_local_functions_are_covered_by_their_own_attribute_or_an_enclosing_one() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Func<PageRefs> covered = [WrongSideCowOk("The buffer is only read by the device")] () => Api.Get(0, 1, FollFlags.None);
                Func<PageRefs> uncovered = () => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                Func<int, PageRefs> simple = n => Api.{|CG0001:Get|}(0, n, FollFlags.None);
                Action anonymous = delegate { Api.{|CG0001:Vmsplice|}(0, 1); };

                [WrongSideCowOk("The buffer is only read by the device")]
                PageRefs Local() => Api.Get(0, 1, FollFlags.None);

                [WrongSideCowOk("The buffer is only read by the device")]
                static PageRefs StaticLocal() => Nested();

                static PageRefs Nested() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);

                PageRefs Uncovered() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            }

            [WrongSideCowOk("The buffer is only read by the device")]
            void Outer()
            {
                Func<PageRefs> lambda = () => Api.Get(0, 1, FollFlags.None);
                PageRefs Local() => Inner();
                PageRefs Inner() => Api.Get(0, 1, FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Properties_accessors_indexers_and_expression_bodies_are_covered() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            PageRefs Uncovered => Api.{|CG0001:Get|}(0, 1, FollFlags.None);

            [WrongSideCowOk("Only reads the first page, never written by the child")]
            PageRefs Covered => Api.Get(0, 1, FollFlags.None);

            [WrongSideCowOk("Only reads the first page, never written by the child")]
            PageRefs this[int i] => Api.Get(0, i, FollFlags.None);

            PageRefs this[long i] => Api.{|CG0001:Get|}(0, (int)i, FollFlags.None);

            PageRefs Accessors
            {
                [WrongSideCowOk("Only reads the first page, never written by the child")]
                get => Api.Get(0, 1, FollFlags.None);
                set => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            }

            [WrongSideCowOk("Only reads the first page, never written by the child")]
            PageRefs Both
            {
                get => Api.Get(0, 1, FollFlags.None);
                set => Api.Get(0, 1, FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Constructors_including_primary_constructors_are_covered() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class Base { public Base(PageRefs refs) { } }
        class C : Base
        {
            [WrongSideCowOk("The snapshot is taken before any fork can happen")]
            public C() : base(Api.Get(0, 1, FollFlags.None)) { }

            public C(int n) : base(Api.{|CG0001:Get|}(0, n, FollFlags.None)) { }

            static C() { Api.{|CG0001:Vmsplice|}(0, 1); }
        }
        class P(int n) : Base(Api.{|CG0001:Get|}(0, n, FollFlags.None));

        [method: WrongSideCowOk("The snapshot is taken before any fork can happen")]
        class Q(int n) : Base(Api.Get(0, n, FollFlags.None));
        """);

    [Fact]
    public Task Page_reference_constructors_are_checked() => DiagnoseAsync("""
        using CowGuard.VmModel;
        class Handle
        {
            [PageReferenceApi]
            public Handle(ulong start, [GupFlags] FollFlags flags) { }
        }
        class C
        {
            void M()
            {
                new {|CG0001:Handle|}(0, FollFlags.None);
                Handle h = {|CG0001:new|}(0, FollFlags.Force);
                new Handle(0, FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Type_level_attribute_covers_members_and_nested_types_by_default() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        [WrongSideCowOk("This type only builds read-only core dumps")]
        class C
        {
            static readonly PageRefs Field = Api.Get(0, 1, FollFlags.None);
            void M() => Api.Get(0, 1, FollFlags.None);
            class Nested { void M() => Api.Vmsplice(0, 1); }
        }
        [WrongSideCowOk("This type only builds read-only core dumps")]
        struct S { void M() => Api.Get(0, 1, FollFlags.None); }
        [WrongSideCowOk("This type only builds read-only core dumps")]
        record R(int N) { PageRefs P => Api.Get(0, N, FollFlags.None); }
        """);

    [Fact]
    public Task Type_level_attribute_can_be_turned_off() => DiagnoseAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        [WrongSideCowOk("This type only builds read-only core dumps")]
        class C
        {
            void M() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            [WrongSideCowOk("The method itself still counts")]
            void N() => Api.Get(0, 1, FollFlags.None);
        }
        """,
        "cowguard.type_level_justification = false");

    [Fact]
    public Task Top_level_statements_are_checked() => new Verify
    {
        TestState =
        {
            Sources =
            {
                """
                using CowGuard.VmModel;
                using Lib;
                Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                Api.Get(0, 1, FollFlags.BreakCow);
                """,
            },
            OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        },
    }.WithTestApis().RunAsync();

    [Fact]
    public Task Generics_nested_types_partial_methods_records_async_and_iterators() => DiagnoseAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CowGuard.VmModel;
        using Lib;
        static class Generic
        {
            [PageReferenceApi]
            public static T Get<T>(T state, [GupFlags] FollFlags flags) => state;
        }
        class Outer<T>
        {
            class Inner
            {
                void M(T t) => Generic.{|CG0001:Get|}(t, FollFlags.None);
                void N(T t) => Generic.Get<T>(t, FollFlags.BreakCow);
            }
        }
        partial class P
        {
            partial void Take();
            [WrongSideCowOk("Declared on the defining part of the partial method")]
            partial void Take() => Api.Get(0, 1, FollFlags.None);
            partial void Other();
            partial void Other() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
        }
        record R(int N)
        {
            public PageRefs Refs { get; } = Api.{|CG0001:Get|}(0, N, FollFlags.None);
        }
        record struct RS(int N)
        {
            public PageRefs Take() => Api.{|CG0001:Get|}(0, N, FollFlags.None);
        }
        class Async
        {
            async Task<PageRefs> M()
            {
                await Task.Yield();
                return Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            }

            IEnumerable<PageRefs> Iterate()
            {
                yield return Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                yield return Api.Get(0, 1, FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Using_aliases_and_using_static_are_resolved_by_symbol() => DiagnoseAsync("""
        using Flags = CowGuard.VmModel.FollFlags;
        using Ok = CowGuard.VmModel.WrongSideCowOkAttribute;
        using G = Lib.Api;
        using static Lib.Api;
        using static CowGuard.VmModel.FollFlags;
        class C
        {
            void M()
            {
                G.{|CG0001:Get|}(0, 1, Flags.Force);
                {|CG0001:Get|}(0, 1, Force);
                Get(0, 1, BreakCow);
            }

            [Ok("Alias of the attribute still justifies the call")]
            void N() => Get(0, 1, Force);
        }
        """);

    [Fact]
    public Task Null_conditional_and_extension_calls_are_checked() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Ext
        {
            [PageReferenceApi]
            public static PageRefs TakeRefs(this Box box, [GupFlags] FollFlags flags) => new();
        }
        class Box
        {
            [PageReferenceApi]
            public PageRefs Take([GupFlags] FollFlags flags) => new();
        }
        class C
        {
            void M(Box? box)
            {
                box?.{|CG0001:Take|}(FollFlags.None);
                box!.{|CG0001:TakeRefs|}(FollFlags.None);
                box.TakeRefs(FollFlags.BreakCow);
            }
        }
        """);

    [Fact]
    public Task Overrides_of_an_annotated_api_are_checked() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        abstract class Source
        {
            [PageReferenceApi]
            public abstract PageRefs Take([GupFlags] FollFlags flags);
        }
        sealed class Derived : Source
        {
            public override PageRefs Take(FollFlags flags) => new();
        }
        class C
        {
            void M(Derived d, Source s)
            {
                d.{|CG0001:Take|}(FollFlags.None);
                s.{|CG0001:Take|}(FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Code_without_vmmodel_annotations_is_not_analysed() => new CowGuardTest<CG0001PageReferenceWithoutBreakCowAnalyzer, CG0001AddBreakCowCodeFix>
    {
        TestCode = """
            class C { void M() { } }
            """,
    }.RunAsync();

    [Fact]
    public Task Add_break_cow_ors_the_flag_into_the_argument() => FixAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.{|CG0001:Get|}(0, 1, FollFlags.Force);
                Api.{|CG0001:Get|}(0, 1, FollFlags.Force | FollFlags.Longterm);
                Api.{|CG0001:Get|}(flags: FollFlags.None, start: 0, nrPages: 1);
            }
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.Get(0, 1, FollFlags.Force | FollFlags.BreakCow);
                Api.Get(0, 1, FollFlags.Force | FollFlags.Longterm | FollFlags.BreakCow);
                Api.Get(flags: FollFlags.BreakCow, start: 0, nrPages: 1);
            }
        }
        """);

    [Fact]
    public Task Add_break_cow_adds_a_named_argument_and_the_using_for_a_defaulted_parameter() => FixAsync(
        """
        using Lib;
        class C
        {
            void M() => Api.{|CG0001:GetDefault|}(0, 1);
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M() => Api.GetDefault(0, 1, flags: FollFlags.BreakCow);
        }
        """);

    [Fact]
    public Task Add_write_is_offered_too() => FixWithWriteAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b) => Api.{|CG0001:Get|}(0, 1, b ? FollFlags.Force : FollFlags.None);
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b) => Api.Get(0, 1, (b ? FollFlags.Force : FollFlags.None) | FollFlags.Write);
        }
        """);

    [Fact]
    public Task No_flag_fix_for_an_api_without_flags() => new Verify
    {
        TestCode = """
            using Lib;
            class C
            {
                void M() => Api.{|CG0001:Vmsplice|}(0, 1);
            }
            """,
        FixedCode = """
            using Lib;
            class C
            {
                void M() => Api.{|CG0001:Vmsplice|}(0, 1);
            }
            """,
    }.WithTestApis().RunAsync();

    [Fact]
    public Task Fix_all_fixes_every_call_in_every_document()
    {
        var test = new Verify();
        test.TestState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                void M()
                {
                    Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                    Api.{|CG0001:Pin|}(0, 1, FollFlags.Longterm);
                }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                void M() => Api.{|CG0001:Get|}(0, 1, FollFlags.Force);
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                void M()
                {
                    Api.Get(0, 1, FollFlags.BreakCow);
                    Api.Pin(0, 1, FollFlags.Longterm | FollFlags.BreakCow);
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                void M() => Api.Get(0, 1, FollFlags.Force | FollFlags.BreakCow);
            }
            """));
        test.CodeActionEquivalenceKey = "CowGuard.AddFollFlag.BreakCow";
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        test.NumberOfFixAllInProjectIterations = 1;
        return test.WithTestApis().RunAsync();
    }

    [Theory]
    [InlineData("Api.Get(0, 1, FollFlags.)")]
    [InlineData("Api.Get(0, 1, )")]
    [InlineData("Api.Get(0, 1, Unknown.Flag)")]
    [InlineData("Api.Get(0, FollFlags.None)")]
    [InlineData("Api.{|CG0001:Get|}(0, 1, FollFlags.None")]
    [InlineData("Api.Get(")]
    public Task Broken_code_produces_no_analyzer_failure(string call) => new Verify
    {
        TestState =
        {
            Sources = { $$"""
                using CowGuard.VmModel;
                using Lib;
                class C
                {
                    void M() { {{call}}; }
                }
                """ },
        },
        CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics.None,
    }.WithTestApis().RunAsync();
}
