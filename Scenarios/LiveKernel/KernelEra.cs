using System.Globalization;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The COW era a kernel release belongs to, by <see cref="Era.ForKernel"/> (kernel-cow-gup.md §0). Stable backports
/// of 17839856fd58 to 5.4.y/4.19.y make those ForcedCowGup in truth; a release string cannot show that, so they count
/// as Mapcount.
/// </summary>
internal static class KernelEra
{
    public static Era? FromRelease(string release) =>
        Version(release) is { } version && version.Major >= 2 ? Era.ForKernel(version.Major, version.Minor) : null;

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
