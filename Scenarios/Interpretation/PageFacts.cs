using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Reads one <see cref="PageFact"/> from the model's <see cref="VmProcess.Inspect"/> view (flags as 0 or 1).</summary>
internal static class PageFacts
{
    public static ulong Read(PageInfo info, PageFactStatement fact)
    {
        switch (fact.Fact)
        {
            case PageFact.Present:
                return Flag(info.Present);
            case PageFact.Swapped:
                return Flag(info.Swapped);
            case PageFact.Writable:
                return Flag(info.Writable);
        }

        var page = info.Page ?? throw new ScenarioRuntimeException(fact.Location, $"'{fact.Verb}' needs a present page, but nothing is mapped at 0x{info.Address:x}");
        return fact.Fact switch
        {
            PageFact.RefCount => (ulong)page.RefCount,
            PageFact.MapCount => (ulong)page.MapCount,
            PageFact.PinCount => (ulong)page.PinCount,
            PageFact.AnonExclusive => Flag(page.AnonExclusive),
            _ => (ulong)page.Pfn,
        };
    }

    private static ulong Flag(bool value) => value ? 1UL : 0UL;
}
