using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Per-compilation cache answering "is this method a page-reference API?" from its annotations. Looks at the method's
/// original definition, its overridden chain and the interface methods it implements (the attribute is not inherited
/// by the runtime, but an override or implementation of an annotated API still takes page references), so generic
/// instantiations, overrides and implementations share one answer.
/// </summary>
internal sealed class PageReferenceApiCatalog
{
    private readonly CowGuardSymbols _symbols;

    /// <summary>The instances most recently asked about, and the original definitions they stand for: a constructed
    /// generic method or a member of a constructed type is often a new instance at each call site, but its original
    /// definition is one instance, so such a call costs two probes and no comparer walk.</summary>
    private readonly IdentityMemo<IMethodSymbol, CalledMethodFacts> _recent = new(slotBits: 13);

    private readonly IdentityMemo<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> _contractInterfaces = new(slotBits: 10);

    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<string>> _contractNames = new(SymbolEqualityComparer.Default);

    /// <summary>Every definition described so far (the memo above forgets): keyed by identity, since the symbol
    /// comparer's hash and equality walk were most of a first sight's cost in the table.</summary>
    private readonly ConcurrentDictionary<IMethodSymbol, CalledMethodFacts> _byDefinition = new(IdentityComparer<IMethodSymbol>.Instance);

    private readonly ConcurrentDictionary<IMethodSymbol, string?> _contractProblems = new(SymbolEqualityComparer.Default);

    private readonly System.Func<IMethodSymbol, CalledMethodFacts> _describe;
    private readonly System.Func<IMethodSymbol, string?> _findContractProblem;
    private readonly System.Func<INamedTypeSymbol, ImmutableArray<string>> _findContractNames;
    private readonly System.Func<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> _findContractInterfaces;

    public PageReferenceApiCatalog(CowGuardSymbols symbols)
    {
        _symbols = symbols;

        // One delegate for the lifetime of the catalog, instead of a method-group conversion on every lookup.
        _describe = Describe;
        _findContractProblem = FindContractProblem;
        _findContractNames = FindContractNames;
        _findContractInterfaces = FindContractInterfaces;
    }

    public CowGuardSymbols Symbols => _symbols;

    /// <summary>The API description, or null when <paramref name="method"/> takes no page references. Methods of
    /// assemblies that cannot see the annotations (most calls of ordinary code) are answered by the reach table and
    /// never enter the definition table, which then only holds methods that could be APIs.</summary>
    public PageReferenceApi? Find(IMethodSymbol method) => FactsOf(method).Api;

    /// <summary>The kind a method releases when it carries [ReleasesPageReferences(kind)] (its own declaration, not
    /// inherited); null otherwise.</summary>
    public ReferenceKind? ReleasedKind(IMethodSymbol method) => FactsOf(method).ReleasedKind;

    private CalledMethodFacts FactsOf(IMethodSymbol method)
    {
        if (_recent.TryGet(method, out var facts))
        {
            return facts;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (ReferenceEquals(definition, method) || !_recent.TryGet(definition, out facts))
        {
            // The reach first (one lookup per assembly rejects every framework method), then the definition table,
            // whose symbol comparer is the costly part of a first sight.
            facts = _symbols.Reach.MayBeAnnotated(definition) ? _byDefinition.GetOrAdd(definition, _describe) : CalledMethodFacts.None;
            _recent.Remember(definition, facts);
        }

        if (!ReferenceEquals(definition, method))
        {
            _recent.Remember(method, facts);
        }

        return facts;
    }

    /// <summary>
    /// Null when the value of <paramref name="parameter"/> on entry may be trusted as forwarded: it is the [GupFlags]
    /// parameter (own or inherited) of a method whose every caller the analyzer checks against that contract.
    /// Otherwise the reason, for the CG0004 message. Callers are checked at invocations and object creations; a
    /// method reached any other way — an accessor, an operator or conversion, an attribute constructor, a primary
    /// constructor parameter (any member may reassign it), or an override or implementation of a member that does
    /// not state the contract (calls through that member are not checked) — cannot forward.
    /// </summary>
    public string? ForwardingProblem(IParameterSymbol parameter)
    {
        if (parameter.RefKind != RefKind.None)
        {
            return $"'{parameter.Name}' is a ref, out or in parameter, which can change while the method runs";
        }

        if (parameter.ContainingSymbol is not IMethodSymbol method ||
            Find(method)?.FlagsParameter?.Ordinal != parameter.Ordinal)
        {
            return $"'{parameter.Name}' is a parameter without [GupFlags], so its callers are not checked";
        }

        return _contractProblems.GetOrAdd(method.OriginalDefinition, _findContractProblem);
    }

    private string? FindContractProblem(IMethodSymbol method)
    {
        switch (method.MethodKind)
        {
            case MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.ExplicitInterfaceImplementation:
                break;
            case MethodKind.Constructor when IsPrimaryConstructor(method):
                return $"the [GupFlags] parameter of the primary constructor of '{method.ContainingType.Name}' can be reassigned by any member";
            case MethodKind.Constructor when !IsAttribute(method.ContainingType):
                break;
            default:
                return $"'{method.Name}' is called without an invocation CowGuard can check (accessor, operator, conversion or attribute), so its [GupFlags] contract is not enforced on callers";
        }

        var ordinal = Find(method)!.FlagsParameter!.Ordinal;
        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (Find(overridden)?.FlagsParameter?.Ordinal != ordinal)
            {
                return UncheckedThrough(method, overridden);
            }
        }

        foreach (var implemented in ImplementedInterfaceMembers(method))
        {
            if (Find(implemented)?.FlagsParameter?.Ordinal != ordinal)
            {
                return UncheckedThrough(method, implemented);
            }
        }

        return null;
    }

    private static string UncheckedThrough(IMethodSymbol method, IMethodSymbol member) =>
        $"'{method.Name}' overrides or implements '{member.ContainingType.Name}.{member.Name}', which does not mark the parameter [GupFlags], so calls through it are not checked";

    private static System.Collections.Generic.IEnumerable<IMethodSymbol> ImplementedInterfaceMembers(IMethodSymbol method)
    {
        foreach (var explicitMember in method.ExplicitInterfaceImplementations)
        {
            yield return explicitMember;
        }

        if (method.ContainingType is not { } type)
        {
            yield break;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (member is IMethodSymbol interfaceMethod &&
                    SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod)?.OriginalDefinition, method.OriginalDefinition))
                {
                    yield return interfaceMethod;
                }
            }
        }
    }

    private static bool IsPrimaryConstructor(IMethodSymbol constructor)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAttribute(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Attribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    private CalledMethodFacts Describe(IMethodSymbol definition)
    {
        // Most called source methods have no attribute list at all, which their syntax shows without binding them.
        var bare = SourceAttributeLists.ProvablyNone(definition);
        var api = DescribeApi(definition, bare);
        var releasedKind = bare ? null : DescribeRelease(definition);
        return api is null && releasedKind is null ? CalledMethodFacts.None : new CalledMethodFacts(api, releasedKind);
    }

    private PageReferenceApi? DescribeApi(IMethodSymbol definition, bool bare)
    {
        var api = bare ? null : DescribeDeclaration(definition, definition);
        for (var current = definition.OverriddenMethod?.OriginalDefinition; api is null && current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            api = DescribeDeclaration(current, definition);
        }

        return api ?? DescribeImplementedInterfaceMember(definition);
    }

    private ReferenceKind? DescribeRelease(IMethodSymbol definition)
    {
        if (_symbols.ReleasesPageReferencesAttribute is null)
        {
            return null;
        }

        foreach (var attribute in definition.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _symbols.ReleasesPageReferencesAttribute))
            {
                return ReadKind(attribute);
            }
        }

        return null;
    }

    /// <summary>A class method that implements an annotated interface method takes page references too (the
    /// interface states the contract, as ILLink reads RequiresUnreferencedCode on interface members). Runs once per
    /// method thanks to the cache; only interfaces that declare a page-reference member of the method's name (and
    /// explicit implementations) are read, and the costly implementation test is made only for an annotated member.</summary>
    private PageReferenceApi? DescribeImplementedInterfaceMember(IMethodSymbol definition)
    {
        foreach (var explicitMember in ExplicitInterfaceImplementations(definition))
        {
            var api = DescribeDeclaration(explicitMember.OriginalDefinition, definition);
            if (api is not null)
            {
                return api;
            }
        }

        if (definition.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } type ||
            definition.DeclaredAccessibility != Accessibility.Public)
        {
            return null;
        }

        foreach (var implemented in ContractInterfaces(type))
        {
            if (!ContractNames(implemented).Contains(definition.Name))
            {
                continue;
            }

            foreach (var member in implemented.GetMembers(definition.Name))
            {
                if (member is IMethodSymbol interfaceMethod &&
                    DescribeDeclaration(interfaceMethod.OriginalDefinition, definition) is { } api &&
                    SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod)?.OriginalDefinition, definition))
                {
                    return api;
                }
            }
        }

        return null;
    }

    /// <summary>A source method's explicit implementations, without asking for them when its kind (read from its
    /// declaration) says there are none: the question runs the method's signature checks ahead of the compiler. An
    /// ordinary source method has no interface specifier; accessors, operators and metadata methods are asked.</summary>
    private static ImmutableArray<IMethodSymbol> ExplicitInterfaceImplementations(IMethodSymbol definition) =>
        definition.MethodKind == MethodKind.Ordinary && !definition.DeclaringSyntaxReferences.IsEmpty
            ? ImmutableArray<IMethodSymbol>.Empty
            : definition.ExplicitInterfaceImplementations;

    /// <summary>The interfaces of <paramref name="type"/> that declare at least one page-reference method, once per
    /// type: every public method of a class asks, each read of <c>AllInterfaces</c> builds a new array, and in code that
    /// uses no annotations (most of any project) the answer is empty, which ends the search at once.</summary>
    private ImmutableArray<INamedTypeSymbol> ContractInterfaces(INamedTypeSymbol type) =>
        _contractInterfaces.GetOrAdd(type, _findContractInterfaces);

    private ImmutableArray<INamedTypeSymbol> FindContractInterfaces(INamedTypeSymbol type)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var implemented in type.AllInterfaces)
        {
            if (_symbols.Reach.MayDeclareAnnotated(implemented.ContainingAssembly) && !ContractNames(implemented).IsEmpty)
            {
                builder.Add(implemented);
            }
        }

        return builder.Count == 0 ? ImmutableArray<INamedTypeSymbol>.Empty : builder.ToImmutable();
    }

    /// <summary>The names of the methods <paramref name="interface"/> itself declares that state a page-reference
    /// contract, once per interface definition. The test is the one <see cref="DescribeDeclaration"/> makes of an
    /// interface member for an implementation (its own attributes and its parameters'), so a name left out here is a
    /// name no implementation can take a contract from through this interface.</summary>
    private ImmutableArray<string> ContractNames(INamedTypeSymbol @interface) =>
        _contractNames.GetOrAdd(@interface.OriginalDefinition, _findContractNames);

    private ImmutableArray<string> FindContractNames(INamedTypeSymbol definition)
    {
        var names = ImmutableArray<string>.Empty;
        foreach (var member in definition.GetMembers())
        {
            if (member is IMethodSymbol method &&
                !names.Contains(method.Name) &&
                !SourceAttributeLists.ProvablyNone(method) &&
                DescribeDeclaration(method, method) is not null)
            {
                names = names.Add(method.Name);
            }
        }

        return names;
    }

    private PageReferenceApi? DescribeDeclaration(IMethodSymbol declaration, IMethodSymbol definition)
    {
        if (!ReferenceEquals(declaration, definition) && SourceAttributeLists.ProvablyNone(declaration))
        {
            return null;
        }

        var flagsParameter = FindFlagsParameter(declaration, definition);
        foreach (var attribute in declaration.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _symbols.PageReferenceApiAttribute))
            {
                return new PageReferenceApi(definition, ReadKind(attribute), flagsParameter);
            }
        }

        return flagsParameter is null ? null : new PageReferenceApi(definition, ReferenceKind.Unknown, flagsParameter);
    }

    /// <summary>The [GupFlags] parameter of <paramref name="declaration"/>, mapped by position onto the definition that
    /// the call binds to (an override may drop the parameter attribute; the base declaration states the contract).</summary>
    private IParameterSymbol? FindFlagsParameter(IMethodSymbol declaration, IMethodSymbol definition)
    {
        foreach (var parameter in declaration.Parameters)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _symbols.GupFlagsAttribute) &&
                    parameter.Ordinal < definition.Parameters.Length)
                {
                    return definition.Parameters[parameter.Ordinal];
                }
            }
        }

        return null;
    }

    /// <summary>Reads [PageReferenceApi(kind)] (the parameterless form means Get). The kind is matched by the name of
    /// the PageReferenceKind field that has the argument's value, never by a hard-coded number.</summary>
    internal static ReferenceKind ReadKind(AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length == 0)
        {
            return ReferenceKind.Get;
        }

        var argument = attribute.ConstructorArguments[0];
        return argument.Kind == TypedConstantKind.Enum && argument.Type is not null
            ? KindNamed(EnumFieldName(argument.Type, argument.Value))
            : ReferenceKind.Unknown;
    }

    internal static ReferenceKind KindNamed(string? name) => name switch
    {
        "Get" => ReferenceKind.Get,
        "Pin" => ReferenceKind.Pin,
        _ => ReferenceKind.Unknown,
    };

    private static string? EnumFieldName(ITypeSymbol enumType, object? value)
    {
        if (!ConstantBits.TryGetBits(value, out var bits))
        {
            return null;
        }

        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field &&
                ConstantBits.TryGetBits(field.ConstantValue, out var fieldBits) && fieldBits == bits)
            {
                return field.Name;
            }
        }

        return null;
    }
}
