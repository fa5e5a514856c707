using Xunit;
using static CowGuard.Analyzers.Tests.Infrastructure.FlagRulesTest;

namespace CowGuard.Analyzers.Tests.Soundness;

/// <summary>Soundness table, overrides and interface implementations: the [GupFlags] contract is inherited, and a
/// contract that callers of the base member do not see is not trusted.</summary>
public sealed partial class SoundnessTests
{
    [Fact]
    public Task Overrides_inherit_the_contract_and_forward() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        abstract class Source
        {
            public abstract PageRefs Take([GupFlags] FollFlags flags);
            public virtual PageRefs Peek([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
        }
        class Derived : Source
        {
            public override PageRefs Take(FollFlags flags) => Api.Get(0, 1, flags);
            public override PageRefs Peek(FollFlags flags) => base.Peek(flags | FollFlags.Force);
        }
        sealed class MoreDerived : Derived
        {
            public override PageRefs Take(FollFlags flags) => base.Take(flags);
        }
        class C
        {
            void M(Source source, Derived derived, MoreDerived more)
            {
                source.{|CG0001:Take|}(FollFlags.None);
                derived.{|CG0001:Take|}(FollFlags.Force);
                more.{|CG0001:Peek|}(FollFlags.None);
                more.Take(FollFlags.BreakCow);
            }
        }
        """);

    [Fact]
    public Task Interface_implementations_inherit_the_contract_and_forward() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        interface ISource
        {
            PageRefs Take([GupFlags] FollFlags flags);
        }
        sealed class Implicit : ISource
        {
            public PageRefs Take(FollFlags flags) => Api.Get(0, 1, flags);
        }
        sealed class Explicit : ISource
        {
            PageRefs ISource.Take(FollFlags flags) => Api.Get(0, 1, flags);
        }
        class C
        {
            void M(ISource source, Implicit direct)
            {
                source.{|CG0001:Take|}(FollFlags.None);
                direct.{|CG0001:Take|}(FollFlags.Force);
                source.Take(FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Contracts_added_by_an_override_or_implementation_are_not_trusted() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        abstract class Source
        {
            public abstract PageRefs Take(FollFlags flags);
        }
        sealed class Derived : Source
        {
            public override PageRefs Take([GupFlags] FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        interface ISource
        {
            PageRefs Take(FollFlags flags);
        }
        sealed class Implementation : ISource
        {
            public PageRefs Take([GupFlags] FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        class C
        {
            void M(Source source, ISource other)
            {
                source.Take(FollFlags.None);
                other.Take(FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Inherited_methods_that_implement_an_interface_without_the_contract_are_reported() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        interface ISource
        {
            PageRefs Take(FollFlags flags);
        }
        class Base
        {
            public PageRefs Take([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
        }
        sealed class {|CG0004:Derived|} : Base, ISource
        {
        }
        interface IContracted
        {
            PageRefs Take([GupFlags] FollFlags flags);
        }
        sealed class Fine : Base, IContracted
        {
        }
        class C
        {
            void M(ISource source) => source.Take(FollFlags.None);
        }
        """);

    [Fact]
    public Task Static_abstract_interface_members_inherit_the_contract_and_are_not_extended() => VerifyAsync("""
        using CowGuard.VmModel;
        using Lib;
        interface ISource
        {
            static abstract PageRefs Take([GupFlags] FollFlags flags);
        }
        interface IPlain
        {
            static abstract PageRefs Take(FollFlags flags);
        }
        sealed class Inheriting : ISource
        {
            public static PageRefs Take(FollFlags flags) => Api.Get(0, 1, flags);
        }
        sealed class Adding : IPlain
        {
            public static PageRefs Take([GupFlags] FollFlags flags) => Api.{|CG0004:Get|}(0, 1, flags);
        }
        class C
        {
            static void Generic<T, U>() where T : ISource where U : IPlain
            {
                T.{|CG0001:Take|}(FollFlags.None);
                U.Take(FollFlags.None);
                Inheriting.{|CG0001:Take|}(FollFlags.Force);
            }
        }
        """);
}
