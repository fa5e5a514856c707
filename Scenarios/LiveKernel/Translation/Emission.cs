namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>One piece of a generated program, in scenario order.</summary>
internal abstract record CInstruction;

/// <summary>A statement the driver runs itself (processes, files, machine knobs, checks, work through handles it holds).</summary>
internal sealed record DriverCode(string Code) : CInstruction;

/// <summary>A numbered step run inside the agent process <see cref="Slot"/> (a C expression) names; the assembler numbers it.</summary>
internal sealed record AgentStep(string Slot, string Code) : CInstruction;

/// <summary>
/// What one bound statement becomes in C: driver code and agent steps in order, and the kernel features they need.
/// Immutable: emitters return new emissions and the assembler alone numbers steps and lays out the program.
/// </summary>
internal sealed record Emission(IReadOnlyList<CInstruction> Instructions, IReadOnlySet<KernelFeature> Needs)
{
    public static Emission Empty { get; } = new([], new HashSet<KernelFeature>());

    public static Emission Driver(string code) => new([new DriverCode(code)], new HashSet<KernelFeature>());

    public static Emission Agent(string slot, string code) => new([new AgentStep(slot, code)], new HashSet<KernelFeature>());

    public Emission Then(Emission next) => new([.. Instructions, .. next.Instructions], Needs.Union(next.Needs).ToHashSet());

    public Emission Then(string driverCode) => Then(Driver(driverCode));

    public Emission Needing(KernelFeature feature) => this with { Needs = Needs.Append(feature).ToHashSet() };

    /// <summary>
    /// Runs the first agent step under <c>CG_TRY</c>, so a fault or failing system call stores its name in
    /// <paramref name="into"/> instead of stopping the program; null when the statement runs no step in a process.
    /// </summary>
    public Emission? UnderTry(int into)
    {
        var index = Instructions.ToList().FindIndex(i => i is AgentStep);
        if (index < 0)
        {
            return null;
        }

        var step = (AgentStep)Instructions[index];
        var instructions = Instructions.ToList();
        instructions[index] = step with { Code = $"CG_TRY({into}, {step.Code});" };
        return this with { Instructions = instructions };
    }
}
