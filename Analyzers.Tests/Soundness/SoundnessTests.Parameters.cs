using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>Soundness table, parameters and wrappers: when a parameter's value may be trusted as forwarded (its
/// callers are checked against a [GupFlags] contract) and every way a wrapper can break that trust.</summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Parameters_without_GupFlags_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            PageRefs M(FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        """);

    [Fact]
    public Task GupFlags_parameters_are_forwarded_and_their_callers_checked() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Grab([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
            public static PageRefs GrabPlus([GupFlags] FollFlags flags) => Api.Get(0, 1, flags | FollFlags.Force);
        }
        class C
        {
            void M()
            {
                Wrapper.{|CG0001:Grab|}(FollFlags.None);
                Wrapper.Grab(FollFlags.BreakCow);
                Wrapper.{|CG0001:GrabPlus|}(FollFlags.Anon);
            }
        }
        """);

    [Fact]
    public Task GupFlags_parameters_written_before_forwarding_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Cleared([GupFlags] FollFlags flags)
            {
                flags = FollFlags.None;
                return Api.{|CG0001:Get|}(0, 1, flags);
            }

            public static PageRefs MaybeReadOnly(bool readOnly, [GupFlags] FollFlags flags)
            {
                if (readOnly) { flags &= ~FollFlags.Write; }
                return Api.{|CG0004:Get|}(0, 1, flags);
            }

            public static PageRefs Replaced(bool fast, [GupFlags] FollFlags flags)
            {
                if (fast) { flags = FollFlags.Force; }
                return Api.{|CG0001:Get|}(0, 1, flags);
            }

            public static PageRefs Computed([GupFlags] FollFlags flags, int bits)
            {
                flags = (FollFlags)bits;
                return Api.{|CG0004:Get|}(0, 1, flags);
            }
        }
        """);

    [Fact]
    public Task GupFlags_parameters_with_bits_only_added_are_still_forwarded() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PagePins LongTerm([GupFlags] FollFlags flags)
            {
                flags |= FollFlags.Longterm;
                return Api.Pin(0, 1, flags);
            }

            public static PageRefs Unshared(bool unshare, [GupFlags] FollFlags flags)
            {
                if (unshare) { flags = flags | FollFlags.BreakCow; }
                return Api.Get(0, 1, flags);
            }
        }
        class C
        {
            void M() => Wrapper.{|CG0001:LongTerm|}(FollFlags.None);
        }
        """);

    [Fact]
    public Task GupFlags_parameters_aliased_or_written_in_a_lambda_are_reported() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            static void Strip(ref FollFlags flags) => flags = FollFlags.None;

            public static PageRefs ByRef([GupFlags] FollFlags flags)
            {
                Strip(ref flags);
                return Api.{|CG0004:Get|}(0, 1, flags);
            }

            public static PageRefs Aliased([GupFlags] FollFlags flags)
            {
                ref var alias = ref flags;
                alias = FollFlags.None;
                return Api.{|CG0004:Get|}(0, 1, flags);
            }

            public static PageRefs Captured([GupFlags] FollFlags flags)
            {
                Action strip = () => flags = FollFlags.None;
                strip();
                return Api.{|CG0004:Get|}(0, 1, flags);
            }

            public static Func<PageRefs> CapturedReadOnly([GupFlags] FollFlags flags) => () => Api.Get(0, 1, flags);
        }
        """);

    [Fact]
    public Task Ref_out_and_in_GupFlags_parameters_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs ByIn(ulong start, [GupFlags] in FollFlags flags) => Api.{|CG0004:Get|}(start, 1, flags);
            public static PageRefs ByRef(ulong start, [GupFlags] ref FollFlags flags) => Api.{|CG0004:Get|}(start, 1, flags);
        }
        """);

    [Fact]
    public Task Default_parameter_values_are_proved_where_the_argument_is_omitted() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Grab([GupFlags] FollFlags flags = FollFlags.None) => Api.Get(0, 1, flags);
            public static PageRefs Plain(FollFlags flags = FollFlags.Write) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        class C
        {
            void M()
            {
                Api.{|CG0001:GetDefault|}(0, 1);
                Wrapper.{|CG0001:Grab|}();
                Wrapper.Grab(FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Wrappers_calling_wrappers_forward_the_contract_to_the_outermost_caller() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PageRefs Inner([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
            public static PageRefs Middle([GupFlags] FollFlags flags) => Inner(flags | FollFlags.Anon);
            public static PageRefs Outer([GupFlags] FollFlags flags)
            {
                var local = flags;
                return Middle(local);
            }

            public static PageRefs Broken([GupFlags] FollFlags flags) => {|CG0001:Inner|}(flags & FollFlags.Force);
        }
        class C
        {
            void M()
            {
                Wrapper.{|CG0001:Outer|}(FollFlags.Force);
                Wrapper.Outer(FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Local_functions_with_GupFlags_are_wrappers() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                static PageRefs Take([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
                Take(FollFlags.BreakCow);
                {|CG0001:Take|}(FollFlags.Force);
            }
        }
        """);

    [Fact]
    public Task Primary_constructor_GupFlags_parameters_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class Holder([GupFlags] FollFlags flags)
        {
            public PageRefs Take() => Api.{|CG0004:Get|}(0, 1, flags);
            public void Clear() => flags = FollFlags.None;
        }
        class C
        {
            void M() => new {|CG0001:Holder|}(FollFlags.None);
        }
        """);

    [Fact]
    public Task Accessors_operators_and_conversions_with_GupFlags_parameters_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class Box
        {
            public PageRefs this[[GupFlags] FollFlags flags] => Api.{|CG0004:Get|}(0, 1, flags);

            public FollFlags Flags
            {
                [param: GupFlags]
                set => Api.{|CG0004:Get|}(0, 1, value);
            }

            public static PageRefs operator +(Box box, [GupFlags] FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        """);
}
