using System.CommandLine;
using CowGuard.Scenarios.Loading;
using Spectre.Console;

namespace CowGuard.Cli;

/// <summary><c>cowguard list</c>: every built-in scenario file, its name and how many backings it runs over.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("list", "List the built-in scenarios (the cow.c catalogue and the bug catalogue).");
        command.SetAction(_ => console.Guard(() =>
        {
            var table = new Table().AddColumns("File", "Scenario", "Backings");
            foreach (var file in BuiltInCatalogue.ScenarioFiles())
            {
                var instances = ScenarioLoader.LoadFile(file);
                table.AddRow(
                    Markup.Escape(BuiltInCatalogue.RelativeName(file)),
                    Markup.Escape(instances[0].ScenarioName),
                    instances[0].Backing is null ? "-" : instances.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Out.Write(table);
            return 0;
        }));
        return command;
    }
}
