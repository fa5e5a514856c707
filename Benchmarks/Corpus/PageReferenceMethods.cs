namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// Templates of page-reference code, each holding exactly one page-reference call site. Correct sites cover every
/// shape the analyzer must accept (break-COW flags, pins with FOLL_LONGTERM, [GupFlags] wrappers, conditional flags,
/// justified methods and justified lambdas, the real Gup API); defect sites each produce exactly one CG0001.
/// </summary>
internal static class PageReferenceMethods
{
    public const int CorrectTemplateCount = 7;
    public const int DefectTemplateCount = 3;

    private const string Justification =
        "The pages are checksummed before this process can fork, so the reference never observes a later write.";

    /// <summary>Writes a correct site. Template 6 (the real Gup API) falls back to template 0 when Gup is absent.</summary>
    public static void WriteCorrect(SourceWriter w, int template, int id, int a, GupApiShape? gup)
    {
        switch (template)
        {
            case 0: BreakCow(w, id, a); break;
            case 1: LongtermPin(w, id); break;
            case 2: JustifiedMethod(w, id); break;
            case 3: Wrapper(w, id, "FollFlags.Write"); break;
            case 4: JustifiedLambda(w, id); break;
            case 5: ConditionalFlags(w, id); break;
            case 6 when gup is not null: RealGup(w, id, a, gup); break;
            case 6: BreakCow(w, id, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(template), template, "no such page-reference template");
        }
    }

    /// <summary>Writes a planted defect: exactly one CG0001 at the call, none anywhere else in the method.</summary>
    public static void WriteDefect(SourceWriter w, int template, int id)
    {
        switch (template)
        {
            case 0: Uncovered(w, id, "PageApi.Get(start, pages, FollFlags.None)"); break;
            case 1: Uncovered(w, id, "PageApi.Vmsplice(start, pages)"); break;
            case 2: Wrapper(w, id, "FollFlags.Force"); break;
            default: throw new ArgumentOutOfRangeException(nameof(template), template, "no such defect template");
        }
    }

    private static void BreakCow(SourceWriter w, int id, int a)
    {
        w.Open($"public static int Snapshot{id}(ulong start, int pages)");
        w.Line("using var refs = PageApi.Get(start, pages, FollFlags.BreakCow);");
        w.Line($"return refs.Count + {a};");
        w.Close();
    }

    private static void LongtermPin(SourceWriter w, int id)
    {
        w.Open($"public static int Register{id}(ulong start, int pages)");
        w.Line("using var pins = PageApi.Pin(start, pages, FollFlags.Write | FollFlags.Longterm);");
        w.Line("return pins.Count;");
        w.Close();
    }

    private static void JustifiedMethod(SourceWriter w, int id)
    {
        w.Line($"[WrongSideCowOk(\"{Justification}\")]");
        w.Open($"public static int Checksum{id}(ulong start, int pages)");
        w.Line("using var refs = PageApi.Get(start, pages, FollFlags.None);");
        w.Line("return refs.Count;");
        w.Close();
    }

    private static void Wrapper(SourceWriter w, int id, string callerFlags)
    {
        w.Line($"private static PageRefs Take{id}(ulong start, int pages, [GupFlags] FollFlags flags) =>");
        w.Line("    PageApi.Get(start, pages, flags | FollFlags.Force);");
        w.Line();
        w.Open($"public static int ViaWrapper{id}(ulong start, int pages)");
        w.Line($"using var refs = Take{id}(start, pages, {callerFlags});");
        w.Line("return refs.Count;");
        w.Close();
    }

    private static void JustifiedLambda(SourceWriter w, int id)
    {
        w.Open($"public static int Deferred{id}(ulong start, int pages)");
        w.Line($"Func<PageRefs> take = [WrongSideCowOk(\"{Justification}\")] () => PageApi.Get(start, pages, FollFlags.None);");
        w.Line("using var refs = take();");
        w.Line("return refs.Count;");
        w.Close();
    }

    private static void ConditionalFlags(SourceWriter w, int id)
    {
        w.Open($"public static int Either{id}(ulong start, int pages, bool willWrite)");
        w.Line("using var refs = PageApi.Get(start, pages, willWrite ? FollFlags.Write : FollFlags.BreakCow);");
        w.Line("return refs.Count;");
        w.Close();
    }

    private static void RealGup(SourceWriter w, int id, int a, GupApiShape gup)
    {
        w.Open($"public static int Dma{id}(global::{gup.ProcessType} process, ulong start, int pages)");
        w.Line($"using var pins = global::{gup.GupType}.PinUserPagesFast(process, start, pages, FollFlags.Write | FollFlags.Longterm);");
        w.Line($"return pages + {a};");
        w.Close();
    }

    private static void Uncovered(SourceWriter w, int id, string call)
    {
        w.Open($"public static int Leaky{id}(ulong start, int pages)");
        w.Line($"using var refs = {call};");
        w.Line("return refs.Count;");
        w.Close();
    }
}
