using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CowGuard.CodeFixes;

/// <summary>
/// Finds the nearest declaration around a node that can carry [WrongSideCowOk] and whose attribute covers the node
/// (the analyzer's scope walk, read from the syntax side): a parenthesised lambda (C# 10+), a local function, an
/// accessor, a method-like member, a property or indexer, and — when type-level justifications count — a class,
/// struct or record. Simple lambdas and anonymous methods cannot carry attributes, so the search goes past them.
/// Top-level statements and interface members without a body have no attributable scope: no fix is offered.
/// </summary>
internal static class AttributableScope
{
    public static SyntaxNode? Find(SyntaxNode node, bool typeLevelAllowed)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ParenthesizedLambdaExpressionSyntax lambda when SupportsLambdaAttributes(lambda):
                case LocalFunctionStatementSyntax:
                case AccessorDeclarationSyntax:
                case BaseMethodDeclarationSyntax:
                case BasePropertyDeclarationSyntax and not EventDeclarationSyntax:
                    return current;
                case ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax:
                    return typeLevelAllowed ? current : null;
                case GlobalStatementSyntax or BaseTypeDeclarationSyntax or EventFieldDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool SupportsLambdaAttributes(SyntaxNode lambda) =>
        ((CSharpParseOptions)lambda.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp10;
}
