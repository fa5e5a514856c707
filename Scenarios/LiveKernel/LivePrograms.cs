using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The host-independent half of a live run: each instance translated to C (or skipped with the reason), the
/// translatable instances of one scenario file grouped into one batch to compile as one program. A backend that runs
/// programs elsewhere (a guest kernel) starts from the same batches, with that kernel's facts.
/// </summary>
internal static class LivePrograms
{
    /// <summary>
    /// Batches of (instance index, program) per scenario file; an instance that cannot run on a kernel with
    /// <paramref name="facts"/> gets its skip result in <paramref name="results"/> instead.
    /// </summary>
    public static IReadOnlyList<List<(int Index, CProgram Program)>> Prepare(IReadOnlyList<ScenarioInstance> instances, KernelFacts facts, LiveKernelResult?[] results)
    {
        var batches = new List<List<(int Index, CProgram Program)>>();
        foreach (var file in Enumerable.Range(0, instances.Count).GroupBy(i => instances[i].File))
        {
            var batch = new List<(int Index, CProgram Program)>();
            foreach (var i in file)
            {
                var (program, skip) = Prepare(instances[i], $"i{i}", facts);
                results[i] = skip;
                if (program is not null)
                {
                    batch.Add((i, program));
                }
            }

            if (batch.Count > 0)
            {
                batches.Add(batch);
            }
        }

        return batches;
    }

    /// <summary>
    /// One program per batch, compiled by <paramref name="compile"/> (source → binary path; files in parallel); a batch
    /// whose compilation fails faults its instances in <paramref name="results"/>. The compiled programs, in instance order.
    /// </summary>
    public static IReadOnlyList<(int Index, CProgram Program, string Binary)> CompileEach(
        IReadOnlyList<List<(int Index, CProgram Program)>> batches, IReadOnlyList<ScenarioInstance> instances, LiveKernelResult?[] results, Func<string, string> compile)
    {
        var compiled = new List<(int Index, CProgram Program, string Binary)>();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            try
            {
                var binary = compile(CProgramBatch.Compose(batch.Select(p => p.Program).ToList()));
                lock (compiled)
                {
                    compiled.AddRange(batch.Select(p => (p.Index, p.Program, binary)));
                }
            }
            catch (Exception e) when (e is LiveKernelException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                batch.ForEach(p => results[p.Index] = LiveKernelResult.Fault(instances[p.Index], e.Message));
            }
        });
        return compiled.OrderBy(p => p.Index).ToList();
    }

    /// <summary>Translates and checks preconditions; either a program to run or the result already known (skip).</summary>
    private static (CProgram? Program, LiveKernelResult? Skip) Prepare(ScenarioInstance instance, string name, KernelFacts facts)
    {
        if (facts.Unusable is { } unusable)
        {
            return (null, LiveKernelResult.Skip(instance, unusable));
        }

        CProgram program;
        try
        {
            program = CTranslator.Translate(instance, name, facts);
        }
        catch (UntranslatableException e)
        {
            return (null, LiveKernelResult.Skip(instance, e.Reason, e.Location));
        }

        return program.Needs.Select(facts.Missing).FirstOrDefault(m => m is not null) is { } missing
            ? (null, LiveKernelResult.Skip(instance, missing))
            : (program, null);
    }
}
