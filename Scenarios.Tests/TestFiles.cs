namespace CowGuard.Scenarios.Tests;

/// <summary>A throw-away directory for scenario files that include each other.</summary>
internal sealed class TestFiles : IDisposable
{
    public const string VirtualPath = "test.cow";

    private readonly string _root = Directory.CreateTempSubdirectory("cowguard-scenarios-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
