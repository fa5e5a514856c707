namespace CowGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Page-reference APIs declared by annotation in test source, the way a wrapper or another library declares them:
/// the analyzer must recognise them without knowing any names.
/// </summary>
public static class TestApis
{
    public const string Source = """
        using System;
        using CowGuard.VmModel;

        namespace Lib;

        public sealed class PageRefs : IDisposable { public void Dispose() { } }

        public sealed class PagePins : IDisposable { public void Dispose() { } }

        public static class Api
        {
            [PageReferenceApi]
            public static PageRefs Get(ulong start, int nrPages, [GupFlags] FollFlags flags) => new();

            [PageReferenceApi]
            public static PageRefs GetDefault(ulong start, int nrPages, [GupFlags] FollFlags flags = FollFlags.None) => new();

            [PageReferenceApi(PageReferenceKind.Pin)]
            public static PagePins Pin(ulong start, int nrPages, [GupFlags] FollFlags flags) => new();

            /// <summary>vmsplice-style: takes references, has no flags, never breaks COW.</summary>
            [PageReferenceApi]
            public static PageRefs Vmsplice(ulong start, int nrPages) => new();

            [ReleasesPageReferences(PageReferenceKind.Get)]
            public static void PutPages(PageRefs refs) { }

            [ReleasesPageReferences(PageReferenceKind.Pin)]
            public static void UnpinPages(PagePins pins) { }
        }
        """;
}
