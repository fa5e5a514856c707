using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer,
    CowGuard.CodeFixes.CG0001AddBreakCowCodeFix>;

namespace CowGuard.Analyzers.Tests;

/// <summary>CG0001: which [WrongSideCowOk] covers a call (ILLink's RequiresUnreferencedCode scoping).</summary>
public sealed partial class CG0001Tests
{
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
}
