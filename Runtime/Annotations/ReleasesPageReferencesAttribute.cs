namespace CowGuard.VmModel;

/// <summary>
/// Marks a method that releases page references obtained from a page-reference API: put_page for
/// <see cref="PageReferenceKind.Get"/>, unpin_user_pages for <see cref="PageReferenceKind.Pin"/>. The analyzer uses it
/// to check that every handle is released, and released through the API that matches how it was taken.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReleasesPageReferencesAttribute : Attribute
{
    /// <summary>Marks a release API for references of the given kind.</summary>
    /// <param name="kind">The kind of reference this method releases.</param>
    public ReleasesPageReferencesAttribute(PageReferenceKind kind) => Kind = kind;

    /// <summary>The kind of reference this method releases.</summary>
    public PageReferenceKind Kind { get; }
}
