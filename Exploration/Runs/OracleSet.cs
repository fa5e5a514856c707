namespace CowGuard.Exploration;

/// <summary>A set of oracles as a bit mask (one bit per <see cref="Oracle"/>), cheap to pass around per transition.</summary>
internal readonly record struct OracleSet(int Bits)
{
    public bool IsEmpty => Bits == 0;

    public bool Contains(Oracle oracle) => (Bits & (1 << (int)oracle)) != 0;

    public OracleSet With(Oracle oracle) => new(Bits | (1 << (int)oracle));

    public IEnumerable<Oracle> Members() => Enum.GetValues<Oracle>().Where(Contains);
}

/// <summary>What one explorer step did: whether it ran (a step without a target, or one the model rejected, did not),
/// the oracles it violated, and how many hugetlb FOLL_GET leaks it observed that cow.c marks XFAIL.</summary>
internal readonly record struct StepReport(bool Executed, OracleSet Violated, int ExemptHugetlbGetLeaks);
