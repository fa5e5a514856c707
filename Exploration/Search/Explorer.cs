using System.Collections.Concurrent;
using System.Diagnostics;

namespace CowGuard.Exploration;

/// <summary>
/// Bounded-exhaustive model checking of the VmModel: breadth-first search over every sequence of steps from an
/// alphabet, up to a depth, in a universe of a few processes and pages, under one era. Each state is reduced to its
/// canonical encoding (<see cref="StateEncoder"/>) and visited once; every step is checked by the property tests'
/// oracles and the model's invariants, and every view is observed after every step. Because levels are complete
/// before the next begins, the first violation of an oracle found is a shortest one.
/// </summary>
/// <example>
/// <code>
/// var report = Explorer.Run(new ExplorationOptions { Era = Era.Refcount, MaxDepth = 3 });
/// foreach (var (oracle, counterexample) in report.Counterexamples)
///     Console.WriteLine($"{oracle}: {counterexample.Length} steps");
/// </code>
/// </example>
public static class Explorer
{
    private const int ChunkSize = 32;

    /// <summary>Explores; <paramref name="progress"/> hears about every finished level.</summary>
    /// <param name="options">What to explore.</param>
    /// <param name="progress">Called after each level (from the calling thread).</param>
    /// <exception cref="ArgumentException">A bound out of range (<see cref="ExplorationOptions.Validate"/>).</exception>
    public static ExplorationReport Run(ExplorationOptions options, Action<LevelStatistics>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var deadline = options.TimeLimit is { } limit ? clock.Elapsed + limit : TimeSpan.MaxValue;
        var tree = new SearchTree(options);
        var visited = new VisitedSet();
        var report = new ExplorationReport(options);
        visited.Visit(new StateEncoder().Hash(tree.Root), 0, tree.Levels[0][0]);
        report.StatesFound = 1;

        for (var depth = 1; depth <= options.MaxDepth; depth++)
        {
            var level = ExpandLevel(tree, visited, depth, () => clock.Elapsed > deadline);
            report.StatesFound += level.NewStates;
            report.Transitions += level.Transitions;
            report.StatesMerged += level.Merged;
            report.ExemptHugetlbGetLeaks += level.ExemptLeaks;
            report.MergesVerified += level.MergesVerified;
            report.MismatchList.AddRange(level.Mismatches.Take(20 - report.MismatchList.Count));
            foreach (var (oracle, found) in level.Violations)
            {
                if (!report.CounterexampleMap.ContainsKey(oracle))
                {
                    report.CounterexampleMap[oracle] = new Counterexample(oracle, [.. tree.PathTo(depth - 1, found.Parent), StepCode.Unpack(found.Code, options.Alphabet)]);
                }
            }

            var statistics = new LevelStatistics(depth, level.NewStates, level.Transitions, level.Merged, level.Complete, clock.Elapsed);
            report.LevelList.Add(statistics);
            progress?.Invoke(statistics);
            if (!level.Complete)
            {
                report.TimedOut = true;
                break;
            }

            report.DepthReached = depth;
            tree.Levels.Add(level.Nodes);
            if (level.NewStates == 0)
            {
                report.Exhausted = true;
                break;
            }
        }

        report.Elapsed = clock.Elapsed;
        report.CpuTime = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        report.PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64;
        report.VisitedSetBytes = visited.ApproximateBytes;
        return report;
    }

    /// <summary>Takes every enabled step from every state of level <paramref name="depth"/> - 1, in parallel.</summary>
    private static LevelResult ExpandLevel(SearchTree tree, VisitedSet visited, int depth, Func<bool> pastDeadline)
    {
        var parents = tree.Levels[depth - 1];
        var workers = new ConcurrentBag<Worker>();
        var next = -ChunkSize;
        var stopped = false;
        Parallel.For(0, tree.Options.Workers, new ParallelOptions { MaxDegreeOfParallelism = tree.Options.Workers }, _ =>
        {
            var worker = new Worker(tree, visited, depth);
            workers.Add(worker);
            for (var start = Interlocked.Add(ref next, ChunkSize); start < parents.Length && !Volatile.Read(ref stopped); start = Interlocked.Add(ref next, ChunkSize))
            {
                if (pastDeadline())
                {
                    Volatile.Write(ref stopped, true);
                    break;
                }

                for (var node = start; node < Math.Min(start + ChunkSize, parents.Length); node++)
                {
                    worker.Expand(node);
                }
            }
        });

        var result = new LevelResult { Complete = !stopped };
        foreach (var worker in workers)
        {
            result.Transitions += worker.Transitions;
            result.Merged += worker.Merged;
            result.ExemptLeaks += worker.ExemptLeaks;
            result.MergesVerified += worker.MergesVerified;
            result.Mismatches.AddRange(worker.Mismatches);
            foreach (var (oracle, node) in worker.Violations)
            {
                if (!result.Violations.TryGetValue(oracle, out var best) || node.CompareTo(best) < 0)
                {
                    result.Violations[oracle] = node;
                }
            }
        }

        var found = workers.SelectMany(w => w.Found).ToArray();
        result.NewStates = found.Length;
        result.Nodes = found.Select(hash => visited.Find(hash).Node).ToArray();
        Array.Sort(result.Nodes);
        return result;
    }

    private sealed class LevelResult
    {
        public long NewStates { get; set; }

        public long Transitions { get; set; }

        public long Merged { get; set; }

        public long ExemptLeaks { get; set; }

        public long MergesVerified { get; set; }

        public bool Complete { get; init; }

        public Node[] Nodes { get; set; } = [];

        public Dictionary<Oracle, Node> Violations { get; } = [];

        public List<string> Mismatches { get; } = [];
    }

    /// <summary>One thread's share of a level: its own materialiser, encoder and tallies.</summary>
    private sealed class Worker(SearchTree tree, VisitedSet visited, int depth)
    {
        private readonly Materialiser _materialiser = Materialiser.For(tree.Options.Materialisation, tree);
        private readonly StateEncoder _encoder = new();
        private readonly List<(int Letter, Op Op)> _steps = [];
        private MergeVerifier? _verifier;

        public List<UInt128> Found { get; } = [];

        public Dictionary<Oracle, Node> Violations { get; } = [];

        public long Transitions { get; private set; }

        public long Merged { get; private set; }

        public long ExemptLeaks { get; private set; }

        public long MergesVerified => _verifier?.Verified ?? 0;

        public IReadOnlyList<string> Mismatches => _verifier?.Mismatches ?? [];

        public void Expand(int parent)
        {
            _materialiser.State(depth - 1, parent).EnabledSteps(tree.Options.Alphabet, _steps);
            foreach (var (letter, op) in _steps)
            {
                var node = new Node(parent, StepCode.Pack(letter, op));
                var run = _materialiser.Fresh(depth - 1, parent);
                var step = run.Explore(op);
                Transitions++;
                ExemptLeaks += step.ExemptHugetlbGetLeaks > 0 ? 1 : 0;
                foreach (var oracle in step.Violated.Members())
                {
                    if (!Violations.TryGetValue(oracle, out var best) || node.CompareTo(best) < 0)
                    {
                        Violations[oracle] = node;
                    }
                }

                if (run.Broken)
                {
                    continue; // a model bug: the state means nothing, and the report names the sequence
                }

                var hash = _encoder.Hash(run);
                if (visited.Visit(hash, depth, node))
                {
                    Found.Add(hash);
                }
                else
                {
                    Merged++;
                    if (tree.Options.VerifyMerges)
                    {
                        _verifier ??= new MergeVerifier(tree);
                        _verifier.Verify(run, visited.Find(hash), depth, node);
                    }
                }
            }
        }
    }
}
