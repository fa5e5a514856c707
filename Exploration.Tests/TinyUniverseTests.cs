using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>
/// Universes small enough to count their states by hand, so the explorer's counts — and the canonical encoding's
/// merges — are checked against a number derived without it.
/// </summary>
public sealed class TinyUniverseTests
{
    /// <summary>
    /// One process, one base page, steps fill and MADV_DONTNEED. The root R maps folio A (written by the setup), which
    /// also sits in the lru_add batch (PAGEVEC 15, one reference). fill rewrites A in place: the value is new, but only
    /// which page holds it matters, so that is R again. dontneed zaps A, which the batch keeps alive but nobody can read:
    /// D1. From D1, fill faults in B: F1 (batch A, B; B mapped); dontneed changes nothing. So the states alternate
    /// D1, F1, D2, F2, … — Dk holds k unreadable folios in the batch, Fk one more that is mapped — until the fill that
    /// makes the batch 15 long drains it: F14 maps a folio that is on the LRU, and the 14 others are freed. dontneed then
    /// frees that one too: D' (nothing mapped, nothing live). Its fill gives R back. States: R, D1–D14, F1–F14, D' = 30,
    /// found one per level down to depth 29 (D'); level 30 finds nothing new. Each state offers both steps: 60
    /// transitions, of which 60 − 29 = 31 reach a state already found.
    /// </summary>
    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void One_page_written_and_zapped_has_30_states(string era)
    {
        var report = Explorer.Run(new ExplorationOptions
        {
            Era = Era.Parse(era), Universe = Universe.BasePages(processes: 1, pages: 1, references: 0),
            Alphabet = Alphabet.Parse("fill,dontneed"), MaxDepth = 40,
        });

        Assert.Equal(30, report.StatesFound);
        Assert.Equal(60, report.Transitions);
        Assert.Equal(31, report.StatesMerged);
        Assert.True(report.Exhausted);
        Assert.Equal(30, report.DepthReached);
        Assert.All(report.Levels.Take(29), level => Assert.Equal(1, level.NewStates));
        Assert.Empty(report.Counterexamples);
    }

    /// <summary>
    /// At most two processes, one base page, steps fork and exit. R: p0 alone. fork: S (both map the page read-only,
    /// mapcount 2); exit: Z' (no process; the folio lives on, unreadable, in the lru_add batch). From S, exiting either
    /// process leaves one process mapping the page read-only: the same state E whichever exits, because processes are
    /// renamed by rank. From E, fork gives S again and exit gives Z. Under the mapcount and refcount rules Z is Z'
    /// (4 states, 6 transitions, 3 merged; depth 3 finds nothing new). Since PageAnonExclusive the two differ: the
    /// folio in Z' kept PG_anon_exclusive (R's page was exclusive), the one in Z lost it at the fork — a difference no
    /// later step can see, which the encoding keeps because it encodes the model's state, not a guess about its future
    /// (5 states, 6 transitions, 2 merged; depth 4 finds nothing new).
    /// </summary>
    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void Fork_and_exit_of_two_processes_merge_whichever_process_exits(string era)
    {
        var machineEra = Era.Parse(era);
        var report = Explorer.Run(new ExplorationOptions
        {
            Era = machineEra, Universe = Universe.BasePages(processes: 2, pages: 1, references: 0),
            Alphabet = Alphabet.Parse("fork,exit"), MaxDepth = 10,
        });

        var anonExclusive = EraTraits.TracksAnonExclusive(machineEra);
        Assert.Equal(anonExclusive ? 5 : 4, report.StatesFound);
        Assert.Equal(6, report.Transitions);
        Assert.Equal(anonExclusive ? 2 : 3, report.StatesMerged);
        Assert.True(report.Exhausted);
        Assert.Equal(anonExclusive ? 4 : 3, report.DepthReached);
        Assert.Equal(2, report.Levels[0].NewStates);
        Assert.Equal(1, report.Levels[1].NewStates);
        Assert.Empty(report.Counterexamples);
    }
}
