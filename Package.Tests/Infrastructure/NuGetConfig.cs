namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// The NuGet.config of a temporary consumer or tool install: a private packages folder (a shared cache would serve a
/// stale copy of the same CowGuard version) and the test feed; nuget.org too, for everything but CowGuard, unless the
/// feed alone is enough.
/// </summary>
internal static class NuGetConfig
{
    public static string Write(string folder, string feed, bool feedOnly)
    {
        var path = Path.Combine(folder, "NuGet.config");
        var nugetOrg = feedOnly ? "" : """
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
            """;
        var mapping = feedOnly ? "" : """
              <packageSourceMapping>
                <packageSource key="cowguard-test-feed"><package pattern="CowGuard" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            """;
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(folder, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="cowguard-test-feed" value="{feed}" />
            {nugetOrg}
              </packageSources>
            {mapping}
            </configuration>
            """);
        return path;
    }
}
