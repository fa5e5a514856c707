using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary><c>ksm_merge</c>: one KSM scan; identical pages in MADV_MERGEABLE areas are merged into one KSM page.</summary>
internal sealed record BoundKsmMerge(SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitKsmMerge(this);
}

/// <summary><c>thp_enabled SIZE always|madvise|never</c>: the per-size THP policy (hugepages-NkB/enabled in sysfs).</summary>
internal sealed record BoundThpEnabled(BoundExpression Size, ThpSetting Setting, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitThpEnabled(this);
}

/// <summary>
/// <c>nr_hugepages SIZE COUNT</c>: reserve COUNT hugetlb pages of SIZE (2M or 1G). The model sizes its pools when the
/// machine boots, so both are constants (<see cref="PageSize"/>, <see cref="Pages"/>); see <see cref="BoundProgram.HugetlbPages"/>.
/// </summary>
internal sealed record BoundHugetlbPool(BoundExpression Size, BoundExpression Count, ulong PageSize, ulong Pages, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitHugetlbPool(this);
}

/// <summary><c>snapshot "label"</c>: remember the machine's state here for <c>draw</c>.</summary>
internal sealed record BoundSnapshot(string Label, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitSnapshot(this);
}
