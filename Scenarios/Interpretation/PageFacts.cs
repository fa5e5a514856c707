using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Reads one page fact from the model's <see cref="VmProcess.Inspect"/> view (flags as 0 or 1).</summary>
internal static class PageFacts
{
    public static ulong Read(PageInfo info, BoundPageFact fact)
    {
        switch (fact.Fact)
        {
            case PageFactKind.Present:
                return Flag(info.Present);
            case PageFactKind.Swapped:
                return Flag(info.Swapped);
            case PageFactKind.Writable:
                return Flag(info.Writable);
        }

        var page = info.Page ?? throw new ScenarioRuntimeException(fact.Location, $"'{fact.Verb}' needs a present page, but nothing is mapped at 0x{info.Address:x}");
        return fact.Fact switch
        {
            PageFactKind.RefCount => (ulong)page.RefCount,
            PageFactKind.MapCount => (ulong)page.MapCount,
            PageFactKind.PinCount => (ulong)page.PinCount,
            PageFactKind.AnonExclusive => Flag(page.AnonExclusive),
            _ => (ulong)page.Pfn,
        };
    }

    private static ulong Flag(bool value) => value ? 1UL : 0UL;
}
