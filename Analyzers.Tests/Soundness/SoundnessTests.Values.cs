using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>
/// One test per row of the soundness table in docs/rules/soundness.md: every way a FollFlags value can reach a
/// page-reference call, with CG0001, CG0004 and CG0005 all running, so each test also shows which rules stay silent.
/// This part: values that are not variables (literals, constants, operators, conditionals, members, calls).
/// </summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Literals_and_enum_members_are_proved() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                Api.{|CG0001:Get|}(0, 1, (FollFlags)8);
                Api.Get(0, 1, FollFlags.Write);
                Api.Get(0, 1, (FollFlags)(1 << 20));
            }
        }
        """);

    [Fact]
    public Task Const_fields_and_const_locals_are_proved() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            const FollFlags ReadOnly = FollFlags.Force;
            const FollFlags Unshare = FollFlags.BreakCow | ReadOnly;
            void M()
            {
                const FollFlags local = ReadOnly | FollFlags.Anon;
                Api.{|CG0001:Get|}(0, 1, local);
                Api.Get(0, 1, Unshare);
            }
        }
        """);

    [Fact]
    public Task Default_values_are_proved() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.{|CG0001:Get|}(0, 1, default);
                Api.{|CG0001:Get|}(0, 1, default(FollFlags));
            }
        }
        """);

    [Fact]
    public Task Bitwise_operators_are_proved_bit_by_bit() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static FollFlags Unknown() => FollFlags.Write;
            void M()
            {
                Api.Get(0, 1, Unknown() | FollFlags.BreakCow);
                Api.{|CG0001:Get|}(0, 1, Unknown() & FollFlags.Force);
                Api.{|CG0004:Get|}(0, 1, Unknown() & ~FollFlags.Force);
                Api.{|CG0004:Get|}(0, 1, ~Unknown());
                Api.{|CG0004:Get|}(0, 1, Unknown() ^ FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Conversions_are_proved_when_they_keep_the_break_cow_bits() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(int raw, long wide)
            {
                Api.Get(0, 1, (FollFlags)(int)FollFlags.Write);
                Api.{|CG0004:Get|}(0, 1, (FollFlags)raw);
                Api.{|CG0004:Get|}(0, 1, (FollFlags)(byte)raw);
                Api.Get(0, 1, (FollFlags)wide | FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Conditional_and_switch_expressions_are_proved_per_branch() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool write, int mode)
            {
                Api.Get(0, 1, write ? FollFlags.Write : FollFlags.BreakCow);
                Api.{|CG0001:Get|}(0, 1, write ? FollFlags.Write : FollFlags.None);
                Api.{|CG0001:Get|}(0, 1, mode switch { 0 => FollFlags.Write, _ => FollFlags.Force });
                Api.Get(0, 1, mode switch { 0 => FollFlags.Write, _ => FollFlags.BreakCow });
            }
        }
        """);

    [Fact]
    public Task Fields_are_reported_even_when_readonly() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly FollFlags Shared = FollFlags.Write;
            FollFlags _instance = FollFlags.Write;
            void M()
            {
                Api.{|CG0004:Get|}(0, 1, Shared);
                Api.{|CG0004:Get|}(0, 1, _instance);
                Api.Get(0, 1, _instance | FollFlags.BreakCow);
            }
        }
        """);

    [Fact]
    public Task Properties_and_with_expressions_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        record Options(FollFlags Flags);
        class C
        {
            FollFlags Current { get; set; } = FollFlags.Write;
            void M(Options options)
            {
                Api.{|CG0004:Get|}(0, 1, Current);
                var readOnly = options with { Flags = FollFlags.None };
                Api.{|CG0004:Get|}(0, 1, readOnly.Flags);
                Api.{|CG0004:Get|}(0, 1, new Options(FollFlags.Write).Flags);
            }
        }
        """);

    [Fact]
    public Task Method_results_including_ref_returns_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            FollFlags _slot = FollFlags.Write;
            static FollFlags Compute() => FollFlags.Write;
            ref FollFlags Slot() => ref _slot;
            void M()
            {
                Api.{|CG0004:Get|}(0, 1, Compute());
                Slot() = FollFlags.None;
                Api.{|CG0004:Get|}(0, 1, Slot());
            }
        }
        """);

    [Fact]
    public Task Tuple_elements_and_deconstructed_locals_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                var pair = (FollFlags.Write, 1);
                Api.{|CG0004:Get|}(0, 1, pair.Item1);
                var (flags, pages) = (FollFlags.Write, 1);
                Api.{|CG0004:Get|}(0, pages, flags);
                FollFlags assigned;
                (assigned, pages) = (FollFlags.None, 2);
                Api.{|CG0004:Get|}(0, pages, assigned);
            }
        }
        """);

    [Fact]
    public Task Nullable_flags_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(FollFlags? maybe)
            {
                Api.{|CG0004:Get|}(0, 1, maybe ?? FollFlags.Write);
                Api.{|CG0004:Get|}(0, 1, maybe!.Value);
                Api.Get(0, 1, maybe.GetValueOrDefault() | FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Assignment_expressions_are_proved_by_the_assigned_value() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                FollFlags flags;
                Api.{|CG0001:Get|}(0, 1, flags = FollFlags.Force);
                Api.Get(0, 1, flags = FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Dynamic_calls_that_may_bind_to_a_page_reference_api_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(dynamic flags)
            {
                Api.{|CG0004:Get|}(0, 1, flags);
            }
        }
        """);
}
