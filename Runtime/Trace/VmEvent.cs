namespace CowGuard.VmModel;

/// <summary>One step of the model, with the page's counts before and after it.</summary>
/// <param name="Sequence">Position in the machine's trace, from 0.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Process">The process (mm) concerned, or empty.</param>
/// <param name="Address">The user address concerned, or 0.</param>
/// <param name="Before">The page's counts before the step, when a page was involved before it.</param>
/// <param name="After">The page's counts after the step, when a page is involved after it.</param>
/// <param name="Detail">The deciding condition in kernel terms, e.g. "refcount 1025 != 1".</param>
public sealed record VmEvent(
    long Sequence, VmEventKind Kind, string Process, ulong Address, PageState? Before, PageState? After, string Detail)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {Kind} {Process} 0x{Address:x} [{Before?.ToString() ?? "-"}] -> [{After?.ToString() ?? "-"}] {Detail}";
}
