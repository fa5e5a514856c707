namespace CowGuard.Exploration;

/// <summary>
/// A step packed into 24 bits (letter, process, slot, handle), so that a node of the search tree — parent and step —
/// takes 8 bytes. The letter carries the kind and the flags.
/// </summary>
internal static class StepCode
{
    public const int MaxLetters = 127;
    public const int MaxProcesses = 31;
    public const int MaxSlots = 31;
    public const int MaxHandles = 127;

    public static int Pack(int letter, Op op) => letter | (op.Process << 7) | (op.Slot << 12) | (op.Handle << 17);

    public static Op Unpack(int code, Alphabet alphabet)
    {
        var letter = alphabet.Letters[code & 0x7F];
        return new Op(letter.Kind, (code >> 7) & 0x1F, (code >> 12) & 0x1F, letter.Flags, (code >> 17) & 0x7F);
    }
}

/// <summary>A state of one level: the index of its parent in the level above and the step from there.</summary>
internal readonly record struct Node(int Parent, int Code) : IComparable<Node>
{
    public int CompareTo(Node other) => Parent != other.Parent ? Parent.CompareTo(other.Parent) : Code.CompareTo(other.Code);
}
