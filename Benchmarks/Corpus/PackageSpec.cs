namespace CowGuard.Benchmarks.Corpus;

/// <summary>A NuGet package a real source tree needs to compile (`compiler-cpu --corpus DIR --package ID@VERSION`).</summary>
internal sealed record PackageSpec(string Id, string Version)
{
    /// <summary>"ID@VERSION", e.g. Microsoft.CodeAnalysis.CSharp.Workspaces@4.14.0; null when the text is not of that
    /// form.</summary>
    public static PackageSpec? TryParse(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@', at + 1) >= 0)
        {
            return null;
        }

        var (id, version) = (text[..at].Trim(), text[(at + 1)..].Trim());
        return id.Length > 0 && version.Length > 0 && !id.Any(char.IsWhiteSpace) && !version.Any(char.IsWhiteSpace) ? new PackageSpec(id, version) : null;
    }

    public override string ToString() => $"{Id}@{Version}";
}
