using System.CommandLine;

namespace CowGuard.Cli.Kernel;

/// <summary>The <c>--kernel</c> option of run and matrix.</summary>
internal static class KernelOption
{
    public static Option<bool> Create() => new("--kernel", "-k")
    {
        Description = "Also run on the live kernel (each scenario translated to C, compiled with gcc and run) and flag every "
            + "disagreement with the model's era for this kernel; exit code 3 if there is one.",
    };
}
