using System.CommandLine;
using CowGuard.Scenarios.LiveKernel;

namespace CowGuard.Cli.Kernel;

/// <summary>
/// The <c>--kernel [host|guest]</c> option of run and matrix: absent → null (no live run), bare → this machine's
/// kernel, <c>guest</c> → the guest kernel under QEMU. The option takes the next word as its value, so another word
/// there (a scenario path: <c>run --kernel FILE</c>) is a usage error that says to put the file first.
/// </summary>
internal static class KernelOption
{
    public static Option<LiveTarget?> Create() => new("--kernel", "-k")
    {
        Description = "Also run on a real kernel — this machine's (host, the default) or the guest kernel built by "
            + "Scenarios/LiveKernel/Guest/kernel/build.sh and booted under QEMU (guest: gup_test and soft-dirty) — each "
            + "scenario translated to C, compiled with gcc and run, and flag every disagreement with the model's era for "
            + "that kernel; exit code 3 if there is one.",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "host|guest",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return LiveTarget.Host;
            }

            switch (result.Tokens[0].Value.ToLowerInvariant())
            {
                case "host":
                    return LiveTarget.Host;
                case "guest":
                    return LiveTarget.Guest;
                default:
                    result.AddError($"--kernel takes 'host' or 'guest', not '{result.Tokens[0].Value}' (to run FILE on this machine's kernel, write FILE before --kernel)");
                    return null;
            }
        },
    };
}
