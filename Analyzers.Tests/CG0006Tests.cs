using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0006PageReferenceLeakAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0006Tests
{
    private static Task DiagnoseAsync(string source) => new Verify { TestCode = source }.WithTestApis().RunAsync();

    [Fact]
    public Task Discarded_and_member_only_handles_leak() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Api.{|CG0006:Get|}(0, 1, FollFlags.Write);
                _ = Api.{|CG0006:Pin|}(0, 1, FollFlags.Write);
                var text = Api.{|CG0006:Get|}(0, 1, FollFlags.Write).ToString();
                var hash = Api.{|CG0006:Get|}(0, 1, FollFlags.Write).GetHashCode();
            }
        }
        """);

    [Fact]
    public Task Local_that_is_never_released_or_passed_on_leaks() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                var refs = Api.{|CG0006:Get|}(0, 1, FollFlags.Write);
                var text = refs.ToString();
                PagePins pins;
                pins = Api.{|CG0006:Pin|}(0, 1, FollFlags.Write);
                pins = null!;
            }
        }
        """);

    [Fact]
    public Task Released_or_escaping_handles_do_not_leak() => DiagnoseAsync("""
        using System;
        using System.Collections.Generic;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            PageRefs? _field;
            List<PagePins> _list = new();
            PageRefs Property { get; set; } = Api.Get(0, 1, FollFlags.Write);

            PageRefs Returned() => Api.Get(0, 1, FollFlags.Write);

            void M(bool b)
            {
                using var declared = Api.Get(0, 1, FollFlags.Write);
                using (var statement = Api.Pin(0, 1, FollFlags.Write)) { }
                using (Api.Get(0, 1, FollFlags.Write)) { }

                var disposed = Api.Get(0, 1, FollFlags.Write);
                disposed.Dispose();

                var conditional = Api.Get(0, 1, FollFlags.Write);
                conditional?.Dispose();

                var put = Api.Get(0, 1, FollFlags.Write);
                Api.PutPages(put);

                var unpinned = Api.Pin(0, 1, FollFlags.Write);
                if (b) { Api.UnpinPages(unpinned); }

                _field = Api.Get(0, 1, FollFlags.Write);
                _list.Add(Api.Pin(0, 1, FollFlags.Write));
                Property = Api.Get(0, 1, FollFlags.Write);

                var stored = Api.Get(0, 1, FollFlags.Write);
                _field = stored;

                var captured = Api.Get(0, 1, FollFlags.Write);
                Action later = () => captured.Dispose();

                Api.Get(0, 1, FollFlags.Write).Dispose();
            }

            IEnumerable<PageRefs> Iterate()
            {
                yield return Api.Get(0, 1, FollFlags.Write);
            }
        }
        """);

    [Fact]
    public Task Handles_of_apis_without_disposable_results_are_not_tracked() => DiagnoseAsync("""
        using CowGuard.VmModel;
        static class Counting
        {
            [PageReferenceApi]
            public static int Count(ulong start, [GupFlags] FollFlags flags) => 0;
        }
        class C
        {
            void M() => Counting.Count(0, FollFlags.Write);
        }
        """);

    [Fact]
    public Task Instance_release_method_counts_as_release() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        sealed class Handle : IDisposable
        {
            [PageReferenceApi(PageReferenceKind.Pin)]
            public static Handle Take(ulong start, [GupFlags] FollFlags flags) => new();
            [ReleasesPageReferences(PageReferenceKind.Pin)]
            public void Unpin() { }
            public void Dispose() { }
        }
        class C
        {
            void M()
            {
                var handle = Handle.Take(0, FollFlags.Write);
                handle.Unpin();
                var leaked = Handle.{|CG0006:Take|}(0, FollFlags.Write);
                leaked.ToString();
            }
        }
        """);

    [Fact]
    public Task Dispose_taken_as_a_method_group_or_delegate_is_a_release() => DiagnoseAsync("""
        using System;
        using System.Collections.Generic;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            List<Action> _cleanup = new();
            void M()
            {
                var listed = Api.Get(0, 1, FollFlags.Write);
                _cleanup.Add(listed.Dispose);
                var held = Api.Pin(0, 1, FollFlags.Write);
                Action release = held.Dispose;
                var created = Api.Get(0, 1, FollFlags.Write);
                var viaNew = new Action(created.Dispose);
                _cleanup.Add(Api.Get(0, 1, FollFlags.Write).Dispose);
            }
        }
        """);

    [Fact]
    public Task Handles_captured_by_a_lambda_or_local_function_escape() => DiagnoseAsync("""
        using System;
        using System.Collections.Generic;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            List<Func<string>> _later = new();
            void M()
            {
                var described = Api.Get(0, 1, FollFlags.Write);
                _later.Add(() => described.ToString());
                var local = Api.Get(0, 1, FollFlags.Write);
                string Describe() => local.ToString();
                _later.Add(Describe);
            }
        }
        """);

    [Fact]
    public Task Members_of_other_libraries_may_keep_the_handle_and_are_not_counted_as_reads() => DiagnoseAsync("""
        using System;
        using System.Collections.Generic;
        using CowGuard.VmModel;
        static class Registry
        {
            public static readonly List<IDisposable> Open = new();
        }
        sealed class Handle : IDisposable
        {
            [PageReferenceApi]
            public static Handle Take(ulong start, [GupFlags] FollFlags flags) => new();
            public void Register() => Registry.Open.Add(this);
            public Handle Self => this;
            public int Count => 1;
            public void Dispose() { }
        }
        class C
        {
            void M()
            {
                var registered = Handle.Take(0, FollFlags.Write);
                registered.Register();
                Handle.Take(0, FollFlags.Write).Register();
                var same = Handle.Take(0, FollFlags.Write).Self;
                same.Dispose();
                var counted = Handle.{|CG0006:Take|}(0, FollFlags.Write);
                var text = counted.ToString();
            }
        }
        """);

    [Fact]
    public Task Members_of_vmmodel_handles_are_reads() => DiagnoseAsync("""
        using CowGuard.VmModel;
        class C
        {
            void M(VmProcess process)
            {
                var refs = Gup.{|CG0006:GetUserPages|}(process, 0, 1, FollFlags.BreakCow);
                var pages = refs.PageCount + refs.Length;
                var owner = refs.Process;
                var pins = Gup.PinUserPages(process, 0, 1, FollFlags.Write);
                pins.Dispose();
            }
        }
        """);
}
