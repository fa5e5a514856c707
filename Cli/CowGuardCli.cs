using System.CommandLine;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli;

/// <summary>
/// The <c>cowguard</c> command line: run, matrix, trace, draw, list, audit, fix, explain, explore. Output goes to the writers given, so tests
/// invoke it in-process (and may hand in the live-kernel backend). Exit codes: 0 success (expected FAILs included),
/// 1 bad command line, 2 a scenario error (or a live-kernel backend error), 3 with --kernel a live-kernel disagreement,
/// 4 a verdict that differs from the declared one (3 and 4 only without --report-only).
/// </summary>
internal static class CowGuardCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<LiveTarget, ILiveBackend>? liveKernel = null)
    {
        var console = new CliConsole(output, error, liveKernel ?? LiveBackends.For);
        var eras = string.Join(", ", Era.All.Select(EraNames.Title));
        var root = new RootCommand($"CowGuard: replay Linux COW/GUP scenarios across kernel eras ({eras}).")
        {
            RunCommand.Create(console),
            MatrixCommand.Create(console),
            TraceCommand.Create(console),
            DrawCommand.Create(console),
            ListCommand.Create(console),
            Audit.AuditCommand.Create(console),
            Fix.FixCommand.Create(console),
            Explain.ExplainCommand.Create(console),
            Explore.ExploreCommand.Create(console),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
