using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>Soundness table, locals: how a local's value reaches the call, and every way it can change behind the
/// analyzer's back (aliases, captures, implicit writes).</summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Locals_written_only_by_their_initializer_are_proved() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b)
            {
                var none = FollFlags.None;
                Api.{|CG0001:Get|}(0, 1, none);
                var chosen = b ? FollFlags.Force : FollFlags.Write;
                Api.{|CG0001:Get|}(0, 1, chosen);
                var unshare = FollFlags.BreakCow;
                var derived = unshare | FollFlags.Force;
                Func<PageRefs> later = () => Api.Get(0, 1, derived);
            }
        }
        """);

    [Fact]
    public Task Reassigned_locals_are_proved_through_the_writes_that_reach_the_call() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool write, int mode)
            {
                var flags = FollFlags.BreakCow;
                if (write) { flags = FollFlags.Write; }
                Api.Get(0, 1, flags);

                var other = FollFlags.Write;
                if (write) { other = FollFlags.None; }
                Api.{|CG0001:Get|}(0, 1, other);
                other = FollFlags.BreakCow;
                Api.Get(0, 1, other);

                FollFlags chosen;
                switch (mode)
                {
                    case 0: chosen = FollFlags.Write; break;
                    case 1: chosen = FollFlags.BreakCow | FollFlags.Force; break;
                    default: chosen = FollFlags.Write | FollFlags.Anon; break;
                }

                Api.Get(0, 1, chosen);
            }
        }
        """);

    [Fact]
    public Task Loops_are_followed_and_values_carried_around_a_loop_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(int n)
            {
                var flags = FollFlags.Write;
                for (var i = 0; i < n; i++)
                {
                    Api.{|CG0001:Get|}(0, 1, flags);
                    flags = FollFlags.Force;
                }

                var kept = FollFlags.BreakCow;
                while (n-- > 0)
                {
                    kept = kept | FollFlags.Force;
                }

                Api.{|CG0004:Get|}(0, 1, kept);
            }
        }
        """);

    [Fact]
    public Task Compound_assignments_are_proved_bit_by_bit() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b)
            {
                var flags = FollFlags.Force;
                flags |= FollFlags.BreakCow;
                Api.Get(0, 1, flags);
                flags &= ~FollFlags.BreakCow;
                Api.{|CG0001:Get|}(0, 1, flags);
                flags ^= FollFlags.Write;
                Api.Get(0, 1, flags);
                var raw = 1;
                raw += 0;
                Api.{|CG0004:Get|}(0, 1, (FollFlags)raw);
            }
        }
        """);

    [Fact]
    public Task Increments_and_decrements_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                var flags = FollFlags.Write;
                flags++;
                Api.{|CG0004:Get|}(0, 1, flags);
                var other = FollFlags.Write;
                other--;
                Api.{|CG0004:Get|}(0, 1, other);
            }
        }
        """);

    [Fact]
    public Task Ref_out_and_in_arguments_make_the_local_unprovable() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static void Touch(ref FollFlags flags) => flags = FollFlags.None;
            static void Look(in FollFlags flags) { }
            static void Make(out FollFlags flags) => flags = FollFlags.Write;
            void M()
            {
                var byRef = FollFlags.Write;
                Touch(ref byRef);
                Api.{|CG0004:Get|}(0, 1, byRef);
                var byIn = FollFlags.Write;
                Look(in byIn);
                Api.{|CG0004:Get|}(0, 1, byIn);
                var implicitIn = FollFlags.Write;
                Look(implicitIn);
                Api.{|CG0004:Get|}(0, 1, implicitIn);
                Make(out var made);
                Api.{|CG0004:Get|}(0, 1, made);
                FollFlags declared;
                Make(out declared);
                Api.{|CG0004:Get|}(0, 1, declared);
            }
        }
        """);

    [Fact]
    public Task Ref_locals_that_alias_the_flags_make_them_unprovable() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b)
            {
                var flags = FollFlags.Write;
                ref var alias = ref flags;
                alias = FollFlags.None;
                Api.{|CG0004:Get|}(0, 1, flags);
                Api.{|CG0004:Get|}(0, 1, alias);
                var other = FollFlags.Write;
                var third = FollFlags.Write;
                ref var either = ref b ? ref other : ref third;
                either = FollFlags.None;
                Api.{|CG0004:Get|}(0, 1, other);
            }
        }
        """);

    [Fact]
    public Task Pointers_to_the_flags_make_them_unprovable() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        unsafe class C
        {
            void M()
            {
                var flags = FollFlags.Write;
                FollFlags* pointer = &flags;
                *pointer = FollFlags.None;
                Api.{|CG0004:Get|}(0, 1, flags);
            }
        }
        """, allowUnsafe: true);

    [Fact]
    public Task Locals_written_in_a_lambda_or_local_function_are_reported() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                var flags = FollFlags.Write;
                Action strip = () => flags = FollFlags.None;
                strip();
                Api.{|CG0004:Get|}(0, 1, flags);

                var other = FollFlags.Write;
                void Strip() => other &= ~FollFlags.Write;
                Strip();
                Api.{|CG0004:Get|}(0, 1, other);
            }
        }
        """);

    [Fact]
    public Task Reassigned_locals_read_in_a_lambda_are_reported() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                var flags = FollFlags.Write;
                Func<PageRefs> later = () => Api.{|CG0004:Get|}(0, 1, flags);
                flags = FollFlags.None;
                later();
                var fixedValue = FollFlags.BreakCow;
                Func<PageRefs> fine = () => Api.Get(0, 1, fixedValue);
            }
        }
        """);

    [Fact]
    public Task Locals_of_a_lambda_or_local_function_are_proved_in_their_own_flow() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(bool b)
            {
                Func<PageRefs> lambda = () =>
                {
                    var flags = FollFlags.Write;
                    if (b) { flags = FollFlags.None; }
                    return Api.{|CG0001:Get|}(0, 1, flags);
                };
                PageRefs Local()
                {
                    var flags = FollFlags.None;
                    if (b) { flags = FollFlags.BreakCow; } else { flags = FollFlags.Write; }
                    return Api.Get(0, 1, flags);
                }
            }
        }
        """);

    [Fact]
    public Task Pattern_and_foreach_variables_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(object boxed, FollFlags[] all)
            {
                if (boxed is FollFlags matched)
                {
                    Api.{|CG0004:Get|}(0, 1, matched);
                }

                switch (boxed)
                {
                    case FollFlags inCase:
                        Api.{|CG0004:Get|}(0, 1, inCase);
                        break;
                }

                foreach (var each in all)
                {
                    Api.{|CG0004:Get|}(0, 1, each);
                }

                if (!(boxed is FollFlags late)) { late = FollFlags.Write; }
                Api.{|CG0004:Get|}(0, 1, late);
            }
        }
        """);

    [Fact]
    public Task Writes_inside_try_catch_and_finally_are_over_approximated() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static void Risky() { }
            void M()
            {
                var flags = FollFlags.Write;
                try
                {
                    flags = FollFlags.None;
                    Risky();
                    flags = FollFlags.Write;
                }
                catch (InvalidOperationException)
                {
                }

                Api.{|CG0001:Get|}(0, 1, flags);

                var inFinally = FollFlags.Write;
                try { Risky(); }
                finally { inFinally = FollFlags.None; }
                Api.{|CG0004:Get|}(0, 1, inFinally);

                var safe = FollFlags.BreakCow;
                try { Risky(); }
                catch (InvalidOperationException) { safe = FollFlags.Write; }
                Api.Get(0, 1, safe);
            }
        }
        """);

    [Fact]
    public Task Two_writes_in_one_statement_are_not_ordered() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static int Use(FollFlags a, FollFlags b) => 0;
            void M()
            {
                var flags = FollFlags.Write;
                Api.{|CG0004:Get|}(0, Use(flags = FollFlags.None, FollFlags.Write), flags);
                flags = FollFlags.Write;
                Use(flags = FollFlags.None, flags = FollFlags.BreakCow);
                Api.{|CG0001:Get|}(0, 1, flags);
            }
        }
        """);
}
