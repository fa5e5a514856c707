using CowGuard.Scenarios.Syntax;
using Spectre.Console;

namespace CowGuard.Cli;

/// <summary>Where commands write: a Spectre console over the output writer (tables), and the error writer.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    public const int ScenarioErrorExitCode = 2;

    public IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = output == Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    public TextWriter Plain => output;

    /// <summary>Runs a command body; a scenario problem becomes one "file:line:column: kind: cause" line and exit code 2.</summary>
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
    }
}
