using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0004: the analyzer cannot prove that the flags of a page-reference call contain Write or BreakCow, nor that they
/// are a forwarded [GupFlags] parameter (docs/rules/soundness.md lists every way a value reaches a call and which
/// ones are proven). Reported, with the reason, instead of guessing either way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0004FlagsNotProvableAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.FlagsNotProvable,
        title: "Page-reference flags cannot be proven to break COW",
        messageFormat: "CowGuard cannot prove that the flags passed to '{0}' contain FollFlags.Write or FollFlags.BreakCow: {1}",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "CowGuard trusts only flags it proves: constants, | & ^ ~ of them, conditional and switch expressions, locals and parameters through the writes that reach the call, and [GupFlags] parameters whose callers are checked. A value that can change behind the analyzer's back (a field, a property, a call result, a variable passed by reference, aliased, or written in a lambda) is reported. Make the flags provable, mark the parameter they come from with [GupFlags] so callers are checked, or justify the call with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FlagsNotProvable));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation)
    {
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.DynamicInvocation,
            OperationKind.DynamicObjectCreation);
        context.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, compilation), SymbolKind.NamedType);
    }

    /// <summary>
    /// A class whose inherited method implements an interface member for it: when the method forwards a [GupFlags]
    /// parameter and the interface member does not state that contract, calls through the interface reach the
    /// forwarding call unchecked. The base class cannot see this (any derived class may do it), so it is reported at
    /// the class that creates the unchecked path. Only base-class methods that carry a contract are looked at, and only
    /// those named like a member of one of the class's interfaces (an inherited method implements an interface member
    /// for a derived class only implicitly, hence by name): this action runs before most method bodies are bound, and
    /// describing every base-class method bound each one's signature early.
    /// </summary>
    private static void AnalyzeType(SymbolAnalysisContext context, CowGuardCompilation compilation)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || type.AllInterfaces.IsEmpty)
        {
            return;
        }

        HashSet<string>? interfaceMemberNames = null;
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (!compilation.Symbols.Reach.MayDeclareAnnotated(baseType.ContainingAssembly))
            {
                continue;
            }

            interfaceMemberNames ??= InterfaceMemberNames(type);
            foreach (var member in MembersNamedIn(baseType, interfaceMemberNames))
            {
                if (member is IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary } method &&
                    compilation.Catalog.Find(method)?.FlagsParameter is { } flags &&
                    UncontractedInterfaceMember(type, method, flags.Ordinal, compilation.Catalog) is { } interfaceMember)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Rule,
                        type.Locations.FirstOrDefault(),
                        method.Name,
                        $"'{type.Name}' implements '{interfaceMember.ContainingType.Name}.{interfaceMember.Name}' with the inherited '{baseType.Name}.{method.Name}', whose [GupFlags] contract the interface does not state, so calls through the interface are not checked"));
                }
            }
        }
    }

    /// <summary>The names of the members of every interface <paramref name="type"/> implements (read from the
    /// declarations, without binding a member).</summary>
    private static HashSet<string> InterfaceMemberNames(INamedTypeSymbol type)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var implemented in type.AllInterfaces)
        {
            names.UnionWith(implemented.MemberNames);
        }

        return names;
    }

    /// <summary>The members of <paramref name="type"/> with one of <paramref name="names"/>: a lookup per interface
    /// member name, not a walk over every member name of a large base class.</summary>
    private static IEnumerable<ISymbol> MembersNamedIn(INamedTypeSymbol type, HashSet<string> names)
    {
        foreach (var name in names)
        {
            foreach (var member in type.GetMembers(name))
            {
                yield return member;
            }
        }
    }

    private static IMethodSymbol? UncontractedInterfaceMember(INamedTypeSymbol type, IMethodSymbol method, int ordinal, PageReferenceApiCatalog catalog)
    {
        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (member is IMethodSymbol interfaceMethod &&
                    SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod)?.OriginalDefinition, method.OriginalDefinition) &&
                    catalog.Find(interfaceMethod)?.FlagsParameter?.Ordinal != ordinal)
                {
                    return interfaceMethod;
                }
            }
        }

        return null;
    }

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var call = compilation.FindUncoveredCall(context, FlagsVerdict.NotProvable);
        if (call is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Rule, call.NameLocation, compilation.ScopeFixData(context.Operation.Syntax.SyntaxTree), call.Api.Method.Name, call.UnprovableReason));
        }
    }
}
