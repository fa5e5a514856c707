using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>How a page-reference API holds its pages, as declared by [PageReferenceApi(kind)]; Unknown for wrappers
/// that only forward flags ([GupFlags] parameter without [PageReferenceApi]).</summary>
internal enum ReferenceKind
{
    Unknown,
    Get,
    Pin,
}

/// <summary>
/// A method recognised as taking page references: it carries [PageReferenceApi], or it has a [GupFlags] parameter
/// (a wrapper that forwards its caller's flags, and so is a page-reference API itself).
/// </summary>
internal sealed class PageReferenceApi
{
    public PageReferenceApi(IMethodSymbol method, ReferenceKind kind, IParameterSymbol? flagsParameter)
    {
        Method = method;
        Kind = kind;
        FlagsParameter = flagsParameter;
    }

    /// <summary>The original definition of the API.</summary>
    public IMethodSymbol Method { get; }

    public ReferenceKind Kind { get; }

    /// <summary>The [GupFlags] parameter, or null for an API that never breaks COW (vmsplice/follow_page style).</summary>
    public IParameterSymbol? FlagsParameter { get; }
}
