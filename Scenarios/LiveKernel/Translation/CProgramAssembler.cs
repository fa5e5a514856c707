using System.Globalization;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// Lays a translated instance out as two C functions, <c>steps_NAME</c> (the agents' numbered steps) and
/// <c>run_NAME</c> (the driver), so several instances of one scenario file compile into one program
/// (<see cref="CProgramBatch"/>). The only place steps are numbered.
/// </summary>
internal static class CProgramAssembler
{
    public static string Render(string name, string displayName, int agents, IReadOnlyList<string> slotNames, IEnumerable<Emission> emissions)
    {
        var steps = new StringBuilder();
        var driver = new StringBuilder();
        var step = 0;
        foreach (var instruction in emissions.SelectMany(e => e.Instructions))
        {
            switch (instruction)
            {
                case DriverCode code:
                    driver.AppendLine(CultureInfo.InvariantCulture, $"\t{code.Code}");
                    break;
                case AgentStep agent:
                    steps.AppendLine(CultureInfo.InvariantCulture, $"\tcase {step}: {agent.Code} break;");
                    driver.AppendLine(CultureInfo.InvariantCulture, $"\tcg_run({agent.Slot}, {step});");
                    step++;
                    break;
                default:
                    throw new ArgumentException($"unknown instruction {instruction.GetType().Name}", nameof(emissions));
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CText.Comment(displayName));
        text.AppendLine(CultureInfo.InvariantCulture, $"static void steps_{name}(int step)");
        text.AppendLine("{");
        text.AppendLine("\tswitch (step) {");
        text.Append(steps);
        text.AppendLine("\tdefault: cg_error(\"unknown step %d\", step);");
        text.AppendLine("\t}");
        text.AppendLine("}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"static void run_{name}(void)");
        text.AppendLine("{");
        text.AppendLine(CultureInfo.InvariantCulture, $"\tcg_init({agents}, steps_{name});");
        for (var i = 0; i < slotNames.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\tcg_var_names[{i}] = {CText.Literal(slotNames[i])};");
        }

        text.Append(driver);
        text.AppendLine("\tcg_finish();");
        text.AppendLine("}");
        return text.ToString();
    }
}
