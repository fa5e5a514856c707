namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// The two fixed files of every corpus: ordinary shared types, and (when the corpus uses VmModel) a library of
/// page-reference APIs declared by annotation the way a driver wrapper library would declare them.
/// </summary>
internal static class SharedSource
{
    public static SourceFile Model { get; } = new("Shared/Model.cs", """
        namespace Synthetic.Shared;

        public enum Kind
        {
            Small,
            Medium,
            Large,
            Huge,
        }

        public sealed record Item(int Id, string Name, double Weight, Kind Kind);
        """);

    public static SourceFile PageApi { get; } = new("Shared/PageApi.cs", """
        using System;
        using CowGuard.VmModel;

        namespace Synthetic.Shared;

        /// <summary>Plain references (FOLL_GET) held until disposed.</summary>
        public sealed class PageRefs : IDisposable
        {
            internal PageRefs(int count) => Count = count;

            public int Count { get; }

            [ReleasesPageReferences(PageReferenceKind.Get)]
            public void Dispose() => GC.KeepAlive(this);
        }

        /// <summary>Pins (FOLL_PIN) held until disposed.</summary>
        public sealed class PagePins : IDisposable
        {
            internal PagePins(int count) => Count = count;

            public int Count { get; }

            [ReleasesPageReferences(PageReferenceKind.Pin)]
            public void Dispose() => GC.KeepAlive(this);
        }

        public static class PageApi
        {
            [PageReferenceApi]
            public static PageRefs Get(ulong start, int nrPages, [GupFlags] FollFlags flags) => new(nrPages);

            [PageReferenceApi(PageReferenceKind.Pin)]
            public static PagePins Pin(ulong start, int nrPages, [GupFlags] FollFlags flags) => new(nrPages);

            /// <summary>vmsplice-style: takes references and has no flags, so it never breaks COW.</summary>
            [PageReferenceApi]
            public static PageRefs Vmsplice(ulong start, int nrPages) => new(nrPages);
        }
        """);
}
