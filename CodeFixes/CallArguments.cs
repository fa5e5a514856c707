using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CowGuard.CodeFixes;

/// <summary>Finds the call a CowGuard diagnostic underlines (its method name) and the call's argument list.</summary>
internal static class CallArguments
{
    public static SyntaxNode? FindCall(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan nameSpan)
    {
        for (var node = root.FindNode(nameSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (ArgumentList(node) is not null)
            {
                return node;
            }
        }

        return null;
    }

    public static BaseArgumentListSyntax? ArgumentList(SyntaxNode call) => call switch
    {
        InvocationExpressionSyntax invocation => invocation.ArgumentList,
        BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
        ConstructorInitializerSyntax initializer => initializer.ArgumentList,
        PrimaryConstructorBaseTypeSyntax baseType => baseType.ArgumentList,
        _ => null,
    };
}
