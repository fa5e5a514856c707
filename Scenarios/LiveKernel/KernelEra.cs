using System.Globalization;
using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The COW era a kernel release belongs to (kernel-cow-gup.md §0): ≤5.7 mapcount reuse (M), 5.8 forced COW in GUP
/// (F, 17839856fd58), 5.9–5.18 refcount reuse (R, 09854ba94c6a), 5.19+ PageAnonExclusive (X). Stable backports of
/// 17839856fd58 to 5.4.y/4.19.y make those F in truth; a release string cannot show that, so they count as M.
/// </summary>
internal static class KernelEra
{
    public static EraCode? FromRelease(string release)
    {
        var parts = release.Split('.', '-');
        if (parts.Length < 2
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var minor))
        {
            return null;
        }

        var version = (major * 1000) + minor;
        return version switch
        {
            <= 5007 => EraCode.M,
            5008 => EraCode.F,
            <= 5018 => EraCode.R,
            _ => EraCode.X,
        };
    }
}
