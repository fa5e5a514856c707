using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>Soundness table, delegates and function pointers: a page-reference API or [GupFlags] function whose
/// callers go through a delegate is reported where it becomes one (CG0005).</summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Api_method_groups_and_function_pointers_are_reported() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        unsafe class C
        {
            static PageRefs Wrap([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
            void M()
            {
                Func<ulong, int, FollFlags, PageRefs> group = Api.{|CG0005:Get|};
                Func<FollFlags, PageRefs> wrapper = {|CG0005:Wrap|};
                delegate*<FollFlags, PageRefs> pointer = &{|CG0005:Wrap|};
                group(0, 1, FollFlags.None);
                wrapper(FollFlags.None);
            }
        }
        """, allowUnsafe: true);

    [Fact]
    public Task GupFlags_lambdas_are_reported_at_the_conversion() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Func<FollFlags, PageRefs> take = ([GupFlags] FollFlags {|CG0005:flags|}) => Api.Get(0, 1, flags);
                take(FollFlags.None);
                Func<FollFlags, PageRefs> justified = [WrongSideCowOk("Only the dump writer calls it, always with Write")] ([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
            }
        }
        """);

    [Fact]
    public Task GupFlags_local_functions_converted_to_delegates_are_reported() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                PageRefs Take([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
                Func<FollFlags, PageRefs> take = {|CG0005:Take|};
                take(FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Lambdas_without_GupFlags_report_the_forwarding_call() => VerifyAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Func<FollFlags, PageRefs> take = flags => Api.{|CG0004:Get|}(0, 1, flags);
                take(FollFlags.None);
                Func<PageRefs> safe = () => Api.Get(0, 1, FollFlags.BreakCow);
            }
        }
        """);
}
