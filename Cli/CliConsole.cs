using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Diagnostics;
using Spectre.Console;

namespace CowGuard.Cli;

/// <summary>
/// Where commands write: a Spectre console over the output writer (tables), plain output, and the error writer;
/// and where <c>--kernel</c> gets its live-kernel backend for a target (the machine's own or the guest, or one a test hands in).
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, Func<LiveTarget, ILiveBackend> liveKernel)
{
    public const int UsageErrorExitCode = 1;

    public const int ScenarioErrorExitCode = 2;

    /// <summary>With --kernel: the live kernel disagrees with the model's era for it, or contradicts a declared verdict.</summary>
    public const int LiveDisagreementExitCode = 3;

    /// <summary>A run's verdict differs from the one its file declares for that era (unless --report-only).</summary>
    public const int VerdictDiffersExitCode = 4;

    public Func<LiveTarget, ILiveBackend> LiveKernel => liveKernel;

    public IAnsiConsole Out { get; } = CreateConsole(output);

    public TextWriter Plain => output;

    public TextWriter Error => error;

    public UsageException UsageError(string message) => new(message);

    /// <summary>
    /// Runs a command body. A scenario problem becomes one "file:line:column: kind: cause" line and exit code 2; a bad
    /// option value exit code 1; an I/O failure writing output exit code 2. Never a stack trace.
    /// </summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ScenarioException e)
        {
            error.WriteLine(e.Message);
            return ScenarioErrorExitCode;
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageErrorExitCode;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ScenarioErrorExitCode;
        }
    }

    /// <summary>A terminal keeps its own width; redirected output gets room for cow.c's longest test names on one line.</summary>
    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = output == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    internal sealed class UsageException(string message) : Exception(message);
}
