using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CowGuard.Analyzers.Tests;

/// <summary>
/// The language constructs of issue 4 for the rules after CG0001 (CG0001's own edge cases are in CG0001Tests):
/// top-level statements, lambdas and local functions, properties and indexers, records, async methods, iterators.
/// </summary>
public sealed class EdgeCaseTests
{
    private static Task DiagnoseAsync<TAnalyzer>(string source, bool topLevel = false)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = new Infrastructure.CowGuardTest<TAnalyzer, EmptyCodeFixProvider>();
        test.TestState.Sources.Add(source);
        if (topLevel)
        {
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        }

        return test.WithTestApis().RunAsync();
    }

    [Fact]
    public Task CG0004_in_top_level_statements_lambdas_properties_and_iterators() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0004FlagsNotProvableAnalyzer>("""
            using System;
            using System.Collections.Generic;
            using CowGuard.VmModel;
            using Lib;
            var flags = args.Length > 0 ? FollFlags.Write : FollFlags.BreakCow;
            flags ^= (FollFlags)args.Length;
            Api.{|CG0004:Get|}(0, 1, flags);
            Func<FollFlags, PageRefs> lambda = f => Api.{|CG0004:Get|}(0, 1, f);
            Func<FollFlags, PageRefs> justified = [WrongSideCowOk("The dump table only holds read-only modes")] (FollFlags f) => Api.Get(0, 1, f);
            static PageRefs Local(FollFlags f) => Api.{|CG0004:Pin|}(0, 1, f) is var p ? null! : null!;

            record R(FollFlags Flags)
            {
                PageRefs Refs => Api.{|CG0004:Get|}(0, 1, Flags);
                PageRefs this[FollFlags f] => Api.{|CG0004:Get|}(0, 1, f);
                IEnumerable<PageRefs> Each() { yield return Api.{|CG0004:Get|}(0, 1, Flags); }
            }
            """, topLevel: true);

    [Fact]
    public Task CG0005_in_field_initializers_properties_and_local_functions() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0005PageReferenceApiAsDelegateAnalyzer>("""
            using System;
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                static readonly Func<ulong, int, PageRefs> Field = Api.{|CG0005:Vmsplice|};
                Func<ulong, int, FollFlags, PagePins> Property => Api.{|CG0005:Pin|};
                void M()
                {
                    Func<ulong, int, PageRefs> Local() => Api.{|CG0005:Vmsplice|};
                    [WrongSideCowOk("Only handed to the read-only dump writer")]
                    Func<ulong, int, PageRefs> Justified() => Api.Vmsplice;
                }
            }
            """);

    [Fact]
    public Task CG0006_in_top_level_statements_async_methods_and_lambdas() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0006PageReferenceLeakAnalyzer>("""
            using System;
            using System.Threading.Tasks;
            using CowGuard.VmModel;
            using Lib;
            Api.{|CG0006:Pin|}(0, 1, FollFlags.Write);
            using var held = Api.Get(0, 1, FollFlags.Write);
            Action leak = () => Api.{|CG0006:Get|}(0, 1, FollFlags.Write);
            Func<PageRefs> handedOn = () => Api.Get(0, 1, FollFlags.Write);

            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    var refs = Api.{|CG0006:Get|}(0, 1, FollFlags.BreakCow);
                    Console.WriteLine(refs.ToString());
                    using var pins = Api.Pin(0, 1, FollFlags.Write);
                }
            }
            """, topLevel: true);

    [Fact]
    public Task CG0007_in_lambdas_and_local_functions() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0007WrongReleaseApiAnalyzer>("""
            using System;
            using CowGuard.VmModel;
            using Lib;
            static class Release
            {
                [ReleasesPageReferences(PageReferenceKind.Get)]
                public static void PutPage(IDisposable handle) { }
            }
            class C
            {
                void M()
                {
                    Action a = () => Release.PutPage({|CG0007:Api.Pin(0, 1, FollFlags.Write)|});
                    void Local()
                    {
                        var pins = Api.Pin(0, 1, FollFlags.Write);
                        Release.PutPage({|CG0007:pins|});
                    }
                }
            }
            """);
}
