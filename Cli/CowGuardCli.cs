using System.CommandLine;
using CowGuard.Scenarios.LiveKernel;

namespace CowGuard.Cli;

/// <summary>
/// The <c>cowguard</c> command line: run, matrix, trace, draw, list, audit, explore. Output goes to the writers given, so tests
/// invoke it in-process (and may hand in the live-kernel backend). Exit codes: 0 success (expected FAILs included),
/// 1 bad command line, 2 a scenario error (or a live-kernel backend error), 3 with --kernel a live-kernel disagreement.
/// </summary>
internal static class CowGuardCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<LiveKernelBackend>? liveKernel = null)
    {
        var console = new CliConsole(output, error, liveKernel ?? LiveKernelBackend.ForThisMachine);
        var root = new RootCommand("CowGuard: replay Linux COW/GUP scenarios across kernel eras (M ≤5.7, F 5.8, R 5.9–5.18, X 5.19+).")
        {
            RunCommand.Create(console),
            MatrixCommand.Create(console),
            TraceCommand.Create(console),
            DrawCommand.Create(console),
            ListCommand.Create(console),
            Audit.AuditCommand.Create(console),
            Explore.ExploreCommand.Create(console),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
