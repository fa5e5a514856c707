using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The VmModel annotation types of one compilation, found by metadata name (the analyzers never reference Runtime/,
/// so any library that ships these names takes part). Resolved once per compilation; when the compilation does not
/// reference VmModel at all, <see cref="TryResolve"/> returns null and the analyzers register nothing.
/// </summary>
internal sealed class CowGuardSymbols
{
    private const string OuterNamespace = "CowGuard";
    private const string InnerNamespace = "VmModel";
    private const string Namespace = OuterNamespace + "." + InnerNamespace + ".";

    private CowGuardSymbols(
        INamedTypeSymbol pageReferenceApi,
        INamedTypeSymbol gupFlags,
        INamedTypeSymbol wrongSideCowOk,
        INamedTypeSymbol? releasesPageReferences,
        INamedTypeSymbol follFlags,
        ulong writeBit,
        ulong breakCowBit,
        IAssemblySymbol sourceAssembly)
    {
        PageReferenceApiAttribute = pageReferenceApi;
        GupFlagsAttribute = gupFlags;
        WrongSideCowOkAttribute = wrongSideCowOk;
        ReleasesPageReferencesAttribute = releasesPageReferences;
        FollFlags = follFlags;
        WriteBit = writeBit;
        BreakCowBit = breakCowBit;
        Reach = new AnnotationReach(
            sourceAssembly,
            releasesPageReferences is null ? new[] { pageReferenceApi, gupFlags } : new[] { pageReferenceApi, gupFlags, releasesPageReferences });
    }

    public INamedTypeSymbol PageReferenceApiAttribute { get; }

    public INamedTypeSymbol GupFlagsAttribute { get; }

    public INamedTypeSymbol WrongSideCowOkAttribute { get; }

    /// <summary>Null when the referenced VmModel predates release annotations: the lifetime rules then stay silent.</summary>
    public INamedTypeSymbol? ReleasesPageReferencesAttribute { get; }

    public INamedTypeSymbol FollFlags { get; }

    /// <summary>The value of FollFlags.Write (FOLL_WRITE), read from the enum rather than assumed.</summary>
    public ulong WriteBit { get; }

    /// <summary>The value of FollFlags.BreakCow (the model's FAULT_FLAG_UNSHARE request), read from the enum.</summary>
    public ulong BreakCowBit { get; }

    /// <summary>Which assemblies' methods can carry the method and parameter annotations at all.</summary>
    public AnnotationReach Reach { get; }

    /// <summary>Resolves the annotation types, or returns null when VmModel's contract is not (fully) referenced.</summary>
    public static CowGuardSymbols? TryResolve(Compilation compilation)
    {
        if (!MayDeclareVmModelNamespace(compilation))
        {
            return null;
        }

        var pageReferenceApi = compilation.GetTypeByMetadataName(Namespace + "PageReferenceApiAttribute");
        var gupFlags = compilation.GetTypeByMetadataName(Namespace + "GupFlagsAttribute");
        var wrongSideCowOk = compilation.GetTypeByMetadataName(Namespace + "WrongSideCowOkAttribute");
        var follFlags = compilation.GetTypeByMetadataName(Namespace + "FollFlags");
        if (pageReferenceApi is null || gupFlags is null || wrongSideCowOk is null || follFlags is null ||
            follFlags.TypeKind != TypeKind.Enum)
        {
            return null;
        }

        var writeBit = ReadFlagValue(follFlags, "Write");
        var breakCowBit = ReadFlagValue(follFlags, "BreakCow");
        if (writeBit is null || breakCowBit is null)
        {
            return null;
        }

        var releases = compilation.GetTypeByMetadataName(Namespace + "ReleasesPageReferencesAttribute");
        return new CowGuardSymbols(
            pageReferenceApi, gupFlags, wrongSideCowOk, releases, follFlags, writeBit.Value, breakCowBit.Value, compilation.Assembly);
    }

    /// <summary>
    /// A necessary condition for the lookups of <see cref="TryResolve"/>, cheap enough for every compilation of every
    /// project: a type named CowGuard.VmModel.X can only be found when the compilation's own assembly or one it
    /// references declares a namespace with both segments. Namespace names come from each assembly's type table (for
    /// source, the declaration table) without building namespace or type symbols, whereas a metadata-name lookup
    /// searches the types and type forwarders of every referenced assembly (~170 in a .NET project) — the whole fixed
    /// cost of CowGuard in a project that does not use VmModel. The names are simple (one segment each), so the test
    /// is conservative: it can pass for an unrelated namespace pair, never fail for a real one.
    /// </summary>
    private static bool MayDeclareVmModelNamespace(Compilation compilation)
    {
        if (DeclaresBothSegments(compilation.Assembly))
        {
            return true;
        }

        foreach (var referenced in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (DeclaresBothSegments(referenced))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresBothSegments(IAssemblySymbol assembly)
    {
        var names = assembly.NamespaceNames;
        return names.Contains(InnerNamespace) && names.Contains(OuterNamespace);
    }

    private static ulong? ReadFlagValue(INamedTypeSymbol enumType, string name)
    {
        foreach (var member in enumType.GetMembers(name))
        {
            if (member is IFieldSymbol { HasConstantValue: true } field &&
                ConstantBits.TryGetBits(field.ConstantValue, out var bits) && bits != 0)
            {
                return bits;
            }
        }

        return null;
    }
}
