using System.Globalization;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Interpretation;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The COW era a kernel release belongs to, by <see cref="Era.ForKernel"/> (kernel-cow-gup.md §0): ≤5.7 mapcount
/// reuse (M), 5.8 forced COW in GUP (F, 17839856fd58), 5.9–5.18 refcount reuse (R, 09854ba94c6a), 5.19+
/// PageAnonExclusive (X). Stable backports of 17839856fd58 to 5.4.y/4.19.y make those F in truth; a release string
/// cannot show that, so they count as M.
/// </summary>
internal static class KernelEra
{
    public static EraCode? FromRelease(string release)
    {
        if (Version(release) is not { } version || version.Major < 2)
        {
            return null;
        }

        var era = Era.ForKernel(version.Major, version.Minor);
        return Enum.GetValues<EraCode>().First(code => Interpreter.EraOf(code) == era);
    }

    /// <summary>"6.18.44-fc-v782" → (6, 18); null when the release does not start with MAJOR.MINOR.</summary>
    public static (int Major, int Minor)? Version(string release)
    {
        var parts = release.Split('.', '-');
        return parts.Length >= 2
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var minor)
                ? (major, minor)
                : null;
    }
}
