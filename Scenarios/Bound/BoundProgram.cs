namespace CowGuard.Scenarios.Bound;

/// <summary>
/// One scenario instance, bound: its statements in order (the backing's in place of <c>setup</c>), its checks by
/// <see cref="BoundExpect.Index"/>, and its symbols in the order they are defined.
/// </summary>
internal sealed record BoundProgram(IReadOnlyList<BoundStatement> Statements, IReadOnlyList<BoundExpect> Checks, IReadOnlyList<Symbol> Symbols)
{
    /// <summary>
    /// The hugetlb pool of <paramref name="pageSize"/> the machine boots with: the last <c>nr_hugepages</c> line for
    /// that size (the model sizes its pools at boot, so the line only confirms it when it runs).
    /// </summary>
    public int HugetlbPages(ulong pageSize) =>
        Statements.OfType<BoundHugetlbPool>().LastOrDefault(p => p.PageSize == pageSize) is { } pool ? (int)Math.Min(pool.Pages, int.MaxValue) : 0;
}
