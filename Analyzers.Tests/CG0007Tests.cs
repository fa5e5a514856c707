using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0007WrongReleaseApiAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0007Tests
{
    private const string ReleaseApis = """
        using System;
        using CowGuard.VmModel;
        static class Release
        {
            [ReleasesPageReferences(PageReferenceKind.Get)]
            public static void PutPage(IDisposable handle) { }

            [ReleasesPageReferences(PageReferenceKind.Pin)]
            public static void UnpinUserPage(IDisposable handle) { }
        }
        """;

    private static Task DiagnoseAsync(string source)
    {
        var test = new Verify { TestCode = source }.WithTestApis();
        test.TestState.Sources.Add(("/0/Release.cs", ReleaseApis));
        return test.RunAsync();
    }

    [Fact]
    public Task Pins_released_as_references_and_the_reverse_are_reported() => DiagnoseAsync("""
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Release.PutPage({|CG0007:Api.Pin(0, 1, FollFlags.Write)|});
                Release.UnpinUserPage({|CG0007:Api.Get(0, 1, FollFlags.Write)|});
                var pins = Api.Pin(0, 1, FollFlags.Write | FollFlags.Longterm);
                Release.PutPage({|CG0007:pins|});
            }
        }
        """);

    [Fact]
    public Task Matching_releases_and_unknown_origins_are_not_reported() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M(IDisposable unknown, bool b)
            {
                Release.UnpinUserPage(Api.Pin(0, 1, FollFlags.Write));
                Release.PutPage(Api.Get(0, 1, FollFlags.Write));
                var refs = Api.Get(0, 1, FollFlags.Write);
                Release.PutPage(refs);
                Release.PutPage(unknown);
                IDisposable reassigned = Api.Pin(0, 1, FollFlags.Write);
                if (b) { reassigned = Api.Get(0, 1, FollFlags.Write); }
                Release.PutPage(reassigned);
            }
        }
        """);

    [Fact]
    public Task Wrappers_without_a_declared_kind_are_not_judged() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        static class Wrapper
        {
            public static PagePins Grab([GupFlags] FollFlags flags) => Api.Pin(0, 1, flags);
        }
        class C
        {
            void M() => Release.PutPage(Wrapper.Grab(FollFlags.Write));
        }
        """);
}
