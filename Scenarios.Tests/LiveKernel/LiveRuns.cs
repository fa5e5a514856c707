using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>Runs a small scenario body on the live kernel and under the AnonExclusive model, for tests that compare the two.</summary>
internal static class LiveRuns
{
    private const string Header = "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\n";

    public static KernelFacts Facts { get; } = KernelFacts.Detect();

    /// <summary>Why <paramref name="features"/> cannot be used here (or no C compiler, not Linux), or null when they can.</summary>
    public static string? Unavailable(params KernelFeature[] features) =>
        Facts.Unusable ?? features.Select(Facts.Missing).FirstOrDefault(m => m is not null);

    /// <summary>Skips the calling test, with the reason, when <see cref="Unavailable"/> names one: a live-kernel test
    /// that cannot run here is reported as skipped, never as passed.</summary>
    public static void SkipUnless(params KernelFeature[] features)
    {
        if (Unavailable(features) is { } reason)
        {
            throw new SkipException(reason);
        }
    }

    public static LiveKernelResult Live(string body, KernelFacts? facts = null) =>
        new LiveKernelBackend(facts ?? Facts, TimeSpan.FromSeconds(60)).Run(Instance(body));

    public static RunResult Model(string body) => Interpreter.Run(Instance(body), Era.AnonExclusive, RunOptions.Default);

    /// <summary>Both runs, asserting that the live program ran and that it agrees with the model over the observable checks.</summary>
    public static LiveKernelResult Agreeing(string body)
    {
        var live = Live(body);
        var model = Model(body);
        Assert.True(live.Outcome == LiveOutcome.Ran, $"live: {live.Describe()}");
        Assert.True(model.Error is null, $"model: {model.Error?.Message}");
        Assert.True(
            LiveAgreement.Agrees(live, model) == true,
            $"live: {string.Join("; ", live.Checks.Select(c => c.Format()))}\nmodel: {string.Join("; ", model.Checks.Select(c => c.Format()))}");
        return live;
    }

    /// <summary><see cref="Agreeing"/>, and every check of the live run passed.</summary>
    public static void AgreeingAndPassing(string body) =>
        Assert.All(Agreeing(body).Checks, c => Assert.True(c.Passed, c.Format()));

    private static ScenarioInstance Instance(string body) => ScenarioLoader.LoadText(TestFiles.VirtualPath, Header + body).Single();
}
