using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Finds the name of a call or method reference, so diagnostics underline the method name only.</summary>
internal static class CallSyntax
{
    public static Location NameLocation(SyntaxNode syntax) => syntax switch
    {
        InvocationExpressionSyntax invocation => NameLocation(invocation.Expression),
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name.GetLocation(),
        MemberBindingExpressionSyntax memberBinding => memberBinding.Name.GetLocation(),
        QualifiedNameSyntax qualified => qualified.Right.GetLocation(),
        AliasQualifiedNameSyntax aliasQualified => aliasQualified.Name.GetLocation(),
        ObjectCreationExpressionSyntax creation => NameLocation(creation.Type),
        ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.NewKeyword.GetLocation(),
        ConstructorInitializerSyntax initializer => initializer.ThisOrBaseKeyword.GetLocation(),
        PrimaryConstructorBaseTypeSyntax baseType => NameLocation(baseType.Type),
        PrefixUnaryExpressionSyntax addressOf => NameLocation(addressOf.Operand),
        _ => syntax.GetLocation(),
    };
}
