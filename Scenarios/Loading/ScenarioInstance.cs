using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// A scenario bound to one backing (or to none): the unit that runs under an era and gets a verdict, with the
/// verdict its file declares for every era and its bound program. <see cref="DisplayName"/> follows cow.c:
/// "vmsplice() + unmap in child ... with base page".
/// </summary>
internal sealed record ScenarioInstance(
    string File,
    string ScenarioName,
    BackingInstance? Backing,
    IReadOnlyDictionary<Era, Verdict> Expected,
    BoundProgram Program)
{
    /// <summary>False for a scenario that names its one backing in <c>setup NAME</c>: cow.c prints no "... with" then.</summary>
    public bool BackingInName { get; init; } = true;

    public string DisplayName => Backing is null || !BackingInName ? ScenarioName : $"{ScenarioName} ... with {Backing.DisplayName}";

    /// <summary>A short stable key: file name without extension, plus "/backing-id" when there is a backing.</summary>
    public string Id => Backing is null || !BackingInName
        ? Path.GetFileNameWithoutExtension(File)
        : $"{Path.GetFileNameWithoutExtension(File)}/{Backing.Id}";
}
