using System.Globalization;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// One concrete backing: a <see cref="BackingSyntax"/>, and for a parameterised one the value it runs with.
/// <see cref="Id"/> is what verdict patterns match (<c>thp_pte[16K]</c>); <see cref="DisplayName"/> is cow.c's wording.
/// </summary>
internal sealed record BackingInstance(BackingSyntax Definition, NumberSyntax? ParameterValue)
{
    public string Id => ParameterValue is null ? Definition.Name : $"{Definition.Name}[{ParameterValue.Spelling}]";

    public string DisplayName => ParameterValue is null
        ? Definition.DisplayName
        : Definition.DisplayName.Replace(
            "{" + Definition.Parameter!.Text + "}",
            (ParameterValue.Value / 1024).ToString(CultureInfo.InvariantCulture) + " kB",
            StringComparison.Ordinal);

    public static IEnumerable<BackingInstance> Expand(BackingSyntax definition) =>
        definition.Parameter is null
            ? [new BackingInstance(definition, null)]
            : definition.ParameterValues.Select(v => new BackingInstance(definition, v));
}
