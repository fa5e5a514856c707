namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// Generates a synthetic C# project of a requested size: files of ~<see cref="LinesPerFile"/> lines (so the ~200k-line
/// corpus has 2,000 files), ordinary methods interleaved with page-reference sites at the profile's density.
/// Deterministic for a given seed, so every run and every machine analyzes the same text.
/// </summary>
internal static class CorpusGenerator
{
    public const int LinesPerFile = 100;
    private const int FilesPerNamespace = 100;

    public static GeneratedCorpus Generate(CorpusProfile profile, int targetLines, int seed = 8)
    {
        if (targetLines < LinesPerFile)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLines), targetLines, $"a corpus needs at least {LinesPerFile} lines");
        }

        var gup = profile.ReferencesVmModel && profile.SitesPerThousandLines > 0 ? GupApiShape.TryDetect() : null;
        var random = new Random(seed);
        var files = new List<SourceFile> { SharedSource.Model };
        if (profile.ReferencesVmModel)
        {
            files.Add(SharedSource.PageApi);
        }

        var state = new GenerationState(profile, gup, random);
        var fileCount = targetLines / LinesPerFile;
        for (var index = 0; index < fileCount; index++)
        {
            files.Add(WriteFile(index, state));
        }

        var lines = files.Sum(f => CountLines(f.Text));
        return new GeneratedCorpus(profile, files, lines, state.Sites, state.Defects, gup is not null);
    }

    private static SourceFile WriteFile(int index, GenerationState state)
    {
        var w = new SourceWriter();
        w.Line("using System;");
        w.Line("using System.Collections.Generic;");
        w.Line("using System.Linq;");
        w.Line("using System.Threading.Tasks;");
        if (state.Profile.ReferencesVmModel)
        {
            w.Line("using CowGuard.VmModel;");
        }

        w.Line("using Synthetic.Shared;");
        w.Line();
        var ns = $"Synthetic.Module{index / FilesPerNamespace}";
        w.Line($"namespace {ns};");
        w.Line();
        w.Open($"public static class Unit{index}");
        var method = 0;
        while (w.LineCount < LinesPerFile - 12)
        {
            if (method > 0)
            {
                w.Line();
            }

            state.WriteMethod(w, method++);
        }

        w.Close();
        return new SourceFile($"Module{index / FilesPerNamespace}/Unit{index}.cs", w.ToString());
    }

    private static int CountLines(string text) => text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);

    /// <summary>Running counters: a page-reference site is written whenever the sites so far fall behind the density.</summary>
    private sealed class GenerationState(CorpusProfile profile, GupApiShape? gup, Random random)
    {
        private long _linesWritten;

        public CorpusProfile Profile => profile;

        public int Sites { get; private set; }

        public int Defects { get; private set; }

        public void WriteMethod(SourceWriter w, int id)
        {
            var before = w.LineCount;
            if ((long)Sites * 1000 < _linesWritten * profile.SitesPerThousandLines)
            {
                WriteSite(w, id);
            }
            else
            {
                OrdinaryMethods.Write(w, random.Next(OrdinaryMethods.TemplateCount), id, random.Next(2, 97), random.Next(2, 13));
            }

            _linesWritten += w.LineCount - before + 1;
        }

        private void WriteSite(SourceWriter w, int id)
        {
            Sites++;
            if (profile.DefectEvery > 0 && Sites % profile.DefectEvery == 0)
            {
                Defects++;
                PageReferenceMethods.WriteDefect(w, random.Next(PageReferenceMethods.DefectTemplateCount), id);
            }
            else
            {
                PageReferenceMethods.WriteCorrect(w, random.Next(PageReferenceMethods.CorrectTemplateCount), id, random.Next(2, 97), gup);
            }
        }
    }
}
