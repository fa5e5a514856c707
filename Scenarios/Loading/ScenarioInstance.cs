using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// A scenario bound to one backing (or to none): the unit that runs under an era and gets a verdict.
/// <see cref="DisplayName"/> follows cow.c: "vmsplice() + unmap in child ... with base page".
/// </summary>
internal sealed record ScenarioInstance(
    string File,
    string ScenarioName,
    BackingInstance? Backing,
    IReadOnlyDictionary<EraCode, Verdict> Expected,
    IReadOnlyList<Statement> Body)
{
    public string DisplayName => Backing is null ? ScenarioName : $"{ScenarioName} ... with {Backing.DisplayName}";

    /// <summary>A short stable key: file name without extension, plus "/backing-id" when there is a backing.</summary>
    public string Id => Backing is null
        ? Path.GetFileNameWithoutExtension(File)
        : $"{Path.GetFileNameWithoutExtension(File)}/{Backing.Id}";
}
