namespace CowGuard.VmModel;

/// <summary>
/// Marks a method that takes references on user pages (a get_user_pages-style API). CowGuard's analyzer recognises
/// page-reference APIs by this attribute, never by name, so wrappers and other libraries can take part.
/// </summary>
/// <remarks>
/// The flags a call passes are read from the parameter marked <see cref="GupFlagsAttribute"/>. A page-reference API
/// without such a parameter never breaks COW (vmsplice- and follow_page-style references): every call to it must be
/// covered by <see cref="WrongSideCowOkAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = false, Inherited = false)]
public sealed class PageReferenceApiAttribute : Attribute
{
    /// <summary>Marks a page-reference API that takes plain (FOLL_GET) references.</summary>
    public PageReferenceApiAttribute() : this(PageReferenceKind.Get)
    {
    }

    /// <summary>Marks a page-reference API holding its pages the given way.</summary>
    /// <param name="kind">Whether the returned handle holds plain references or pins.</param>
    public PageReferenceApiAttribute(PageReferenceKind kind) => Kind = kind;

    /// <summary>Whether the returned handle holds plain references or pins.</summary>
    public PageReferenceKind Kind { get; }
}
