using System.Globalization;
using System.Text;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>The outcome and the figures of one stress run.</summary>
internal sealed record StressResult(
    Era Era,
    int Threads,
    TimeSpan Elapsed,
    TimeSpan Cpu,
    IReadOnlyDictionary<StressOp, long> Operations,
    IReadOnlyDictionary<string, int> ExpectedErrors,
    StressEvents Events,
    int QuiescentChecks,
    IReadOnlyList<string> Failures,
    string? Deadlock)
{
    public long TotalOperations => Operations.Values.Sum();

    public string Report()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{Era.Name}: {Threads} threads, {TotalOperations:N0} steps in {Elapsed.TotalSeconds:F1} s wall = {TotalOperations / Elapsed.TotalSeconds:N0} steps/s across threads; {Cpu.TotalSeconds:F1} s process CPU");
        text.AppendLine(culture, $"forks {Events.Forks:N0}, exits {Events.Exits:N0}; GUP-fast pages taken {Events.FastPages:N0}; quiescent invariant checks {QuiescentChecks:N0}; events {Events.Events:N0}");
        text.AppendLine(culture, $"GUP-fast fallbacks: {string.Join(", ", Events.Fallbacks.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value:N0}"))}");
        text.AppendLine(culture, $"steps (a step that found nothing to do still counts): {string.Join(", ", Operations.Where(o => o.Value > 0).Select(o => $"{o.Key} {o.Value:N0}"))}");
        text.AppendLine(culture, $"expected errors: {(ExpectedErrors.Count == 0 ? "none" : string.Join(", ", ExpectedErrors.Select(e => $"{e.Key} {e.Value:N0}")))}");
        return text.ToString();
    }
}
