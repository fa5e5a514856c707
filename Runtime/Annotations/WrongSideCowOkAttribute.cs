namespace CowGuard.VmModel;

/// <summary>
/// Declares that the page references taken inside the annotated scope may stay on the wrong side of a COW
/// (neither <see cref="FollFlags.Write"/> nor <see cref="FollFlags.BreakCow"/>), and says why that is safe.
/// CowGuard's analyzer accepts a page-reference call without break-COW only under this attribute, and requires the
/// justification to be a real explanation (rule CG0002).
/// </summary>
/// <remarks>
/// Covers the annotated lambda or local function, method, constructor, property (and its accessors), and — when the
/// configuration allows type-level justifications — every member of the annotated class or struct.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property |
    AttributeTargets.Class | AttributeTargets.Struct,
    AllowMultiple = false, Inherited = false)]
public sealed class WrongSideCowOkAttribute : Attribute
{
    /// <summary>Creates the attribute with the reason the wrong-side reference is safe.</summary>
    /// <param name="justification">Why a reference that does not break COW is safe here.</param>
    public WrongSideCowOkAttribute(string justification) => Justification = justification;

    /// <summary>Why a reference that does not break COW is safe here.</summary>
    public string Justification { get; }
}
