using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Reads from syntax whether a source method can carry any attribute on itself or its parameters. A source symbol's
/// attributes come only from its declaration's attribute lists, so a method whose declarations have none (on the
/// method or on a parameter) carries neither [PageReferenceApi], [ReleasesPageReferences] nor [GupFlags] — known without
/// binding its signature or its attributes, which the catalog's first look at every called source method otherwise
/// forces ahead of the compiler. Anything this does not recognise (metadata, partial methods, primary constructors,
/// accessors, lambdas, extension blocks, synthesized members) answers "may carry", and the symbols decide.
/// </summary>
internal static class SourceAttributeLists
{
    public static bool ProvablyNone(IMethodSymbol method, System.Threading.CancellationToken cancellationToken = default)
    {
        if (method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null)
        {
            return false;
        }

        var references = method.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return false;
        }

        foreach (var reference in references)
        {
            if (!Bare(reference.GetSyntax(cancellationToken)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Bare(SyntaxNode declaration) => declaration switch
    {
        // Only members of ordinary type declarations: a method of a C# 14 extension block also takes the block's
        // receiver parameter, which this syntax does not show.
        MethodDeclarationSyntax method =>
            method.Parent is ClassDeclarationSyntax or StructDeclarationSyntax or InterfaceDeclarationSyntax or RecordDeclarationSyntax &&
            method.AttributeLists.Count == 0 &&
            NoParameterAttributes(method.ParameterList),
        ConstructorDeclarationSyntax constructor => constructor.AttributeLists.Count == 0 && NoParameterAttributes(constructor.ParameterList),
        LocalFunctionStatementSyntax function => function.AttributeLists.Count == 0 && NoParameterAttributes(function.ParameterList),
        _ => false,
    };

    private static bool NoParameterAttributes(ParameterListSyntax parameters)
    {
        foreach (var parameter in parameters.Parameters)
        {
            if (parameter.AttributeLists.Count != 0)
            {
                return false;
            }
        }

        return true;
    }
}
