namespace CowGuard.Analyzers;

/// <summary>Keys and values of the fix data CowGuard analyzers put in Diagnostic.Properties for the code fixes.</summary>
public static class FixData
{
    /// <summary>How a flag can be added to the call: one of <see cref="AppendToArgument"/>,
    /// <see cref="AddNamedArgument"/>, <see cref="NoFlagsFix"/>.</summary>
    public const string FlagsFixKey = "CowGuard.FlagsFix";

    /// <summary>The flags argument is written in the call: the fix ORs the flag into it.</summary>
    public const string AppendToArgument = "Append";

    /// <summary>The flags parameter takes its default value: the fix adds a named argument.</summary>
    public const string AddNamedArgument = "AddNamed";

    /// <summary>No flags fix: the API has no FollFlags-typed flags parameter (it can never break COW).</summary>
    public const string NoFlagsFix = "None";

    /// <summary>The name of the API's [GupFlags] parameter.</summary>
    public const string FlagsParameterKey = "CowGuard.FlagsParameter";

    /// <summary>"true" when a type-level [WrongSideCowOk] counts in this file, so the attribute fix may use a type.</summary>
    public const string TypeLevelJustificationKey = "CowGuard.TypeLevelJustification";
}
