using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>
/// The counterexamples the static/dynamic differential (Differential/) found, shrunk and kept. Each was a silent
/// unsafe call: a page reference taken at run time with neither Write nor BreakCow that no diagnostic accounted for.
/// They were found by running the differential against the analyzers as they were before issue 14 (commit b86255c:
/// 200 programs, 107 silent unsafe calls in 15 programs); the recording wrapper of the generated programs is written
/// here as the test API <c>Api.Get</c>. The analyzers now report each of them.
/// </summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Counterexample_out_argument_rewrites_a_GupFlags_parameter() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Program
        {
            static void Set(out FollFlags flags, FollFlags value) => flags = value;

            static PageRefs W0([GupFlags] FollFlags flags)
            {
                Set(out flags, FollFlags.None);
                return Api.{|CG0004:Get|}(0, 1, flags);
            }

            static void Run() => W0(FollFlags.BreakCow);
        }
        """);

    [Fact]
    public Task Counterexample_GupFlags_lambda_invoked_through_its_delegate() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        static class Program
        {
            static void Run()
            {
                Func<FollFlags, PageRefs> conv0 = ([GupFlags] FollFlags {|CG0005:flags|}) => Api.Get(0, 1, flags);
                Action c0 = () => conv0(FollFlags.None);
                c0();
            }
        }
        """);

    [Fact]
    public Task Counterexample_override_adds_the_contract_its_base_lacks() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        abstract class B0
        {
            public abstract PageRefs Take(FollFlags flags);
        }
        sealed class C0 : B0
        {
            public override PageRefs Take([GupFlags] FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        static class Program
        {
            static void Run() => ((B0)new C0()).Take(FollFlags.None);
        }
        """);

    [Fact]
    public Task Counterexample_inherited_method_implements_an_uncontracted_interface_method() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        interface I0
        {
            PageRefs Take(FollFlags flags);
        }
        class B0
        {
            public PageRefs Take([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
        }
        sealed class {|CG0004:C0|} : B0, I0
        {
        }
        static class Program
        {
            static void Run() => ((I0)new C0()).Take(FollFlags.None);
        }
        """);
}
