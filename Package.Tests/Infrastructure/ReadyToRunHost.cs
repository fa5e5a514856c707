using System.Runtime.InteropServices;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>Where the package's ReadyToRun copy of the analyzers exists and is loaded: the tests pack and build on the
/// machine they run on, so on linux-x64 the pack makes the copy and a consumer build picks it.</summary>
internal static class ReadyToRunHost
{
    public const string Folder = "readytorun/linux-x64/";

    public static bool IsLinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;
}
