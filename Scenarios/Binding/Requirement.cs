using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.Binding;

/// <summary>The kinds of value an operand accepts, and how a message names them ("expected a process, found a pipe").</summary>
internal sealed record Requirement(string Description, Func<ScenarioType, bool> Accepts)
{
    public static Requirement Number { get; } = new("a number", t => t.IsNumeric);

    public static Requirement Process { get; } = Exactly(ScenarioType.Process);

    public static Requirement File { get; } = Exactly(ScenarioType.File);

    public static Requirement Pipe { get; } = Exactly(ScenarioType.Pipe);

    public static Requirement RegisteredBuffer { get; } = Exactly(ScenarioType.RegisteredBuffer);

    /// <summary>What put_pages releases: FOLL_GET references.</summary>
    public static Requirement PageReferences { get; } = Exactly(ScenarioType.PageReferences);

    /// <summary>What unpin_user_pages releases: FOLL_PIN pins, also those behind a registered buffer.</summary>
    public static Requirement Pins { get; } = new(
        $"{ScenarioType.PagePins.Description} or {ScenarioType.RegisteredBuffer.Description}",
        t => t == ScenarioType.PagePins || t == ScenarioType.RegisteredBuffer);

    /// <summary>What a device reads and writes through: any GUP handle or a registered buffer.</summary>
    public static Requirement DeviceHandle { get; } = new("a page handle (from get_user_pages*, pin_user_pages* or io_uring_register)", t => t.IsDeviceHandle);

    private static Requirement Exactly(ScenarioType type) => new(type.Description, t => t == type);
}
