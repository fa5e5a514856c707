using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using CowGuard.CodeFixes;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer,
    CowGuard.CodeFixes.CG0001AddBreakCowCodeFix>;

namespace CowGuard.Analyzers.Tests;

/// <summary>CG0001's code fixes: add FollFlags.BreakCow, add FollFlags.Write, and Fix All for both.</summary>
public sealed partial class CG0001Tests
{
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
    public Task Add_break_cow_in_constructor_initializers_object_creations_and_extension_calls() => FixAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class Handle
        {
            [PageReferenceApi]
            public Handle(ulong start, [GupFlags] FollFlags flags) { }
        }
        class Derived : Handle
        {
            public Derived() : {|CG0001:base|}(0, FollFlags.Force) { }
        }
        static class Ext
        {
            [PageReferenceApi]
            public static PageRefs TakeRefs(this Handle h, [GupFlags] FollFlags flags) => new();
        }
        class C
        {
            void M(Handle h)
            {
                var a = new {|CG0001:Handle|}(0, FollFlags.None);
                Handle b = {|CG0001:new|}(0, FollFlags.Anon);
                h.{|CG0001:TakeRefs|}(FollFlags.Dump);
            }
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class Handle
        {
            [PageReferenceApi]
            public Handle(ulong start, [GupFlags] FollFlags flags) { }
        }
        class Derived : Handle
        {
            public Derived() : base(0, FollFlags.Force | FollFlags.BreakCow) { }
        }
        static class Ext
        {
            [PageReferenceApi]
            public static PageRefs TakeRefs(this Handle h, [GupFlags] FollFlags flags) => new();
        }
        class C
        {
            void M(Handle h)
            {
                var a = new Handle(0, FollFlags.BreakCow);
                Handle b = new(0, FollFlags.Anon | FollFlags.BreakCow);
                h.TakeRefs(FollFlags.Dump | FollFlags.BreakCow);
            }
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

    [Fact]
    public Task Fix_all_with_write_fixes_every_call()
    {
        var test = new CowGuardTest<CG0001PageReferenceWithoutBreakCowAnalyzer, CG0001AddWriteCodeFix>();
        test.TestState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                void M() => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                void N() => Api.{|CG0001:GetDefault|}(0, 1);
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                void M() => Api.{|CG0001:Pin|}(0, 1, FollFlags.Longterm);
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                void M() => Api.Get(0, 1, FollFlags.Write);
                void N() => Api.GetDefault(0, 1, flags: FollFlags.Write);
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                void M() => Api.Pin(0, 1, FollFlags.Longterm | FollFlags.Write);
            }
            """));
        test.CodeActionEquivalenceKey = "CowGuard.AddFollFlag.Write";
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.WithTestApis().RunAsync();
    }
}
