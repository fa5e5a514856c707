namespace CowGuard.Scenarios.Bound;

/// <summary>
/// The kind of value a symbol or an expression holds, fixed when the scenario is bound. Every operation states the
/// kinds it takes, so a wrong kind is found when the file is loaded. Two questions of the live comparison are
/// asked here: can a live kernel observe a value of this kind (<see cref="ObservableOnLiveKernel"/>), and is it a page
/// frame number (comparable on a live kernel only with another one).
/// </summary>
internal sealed class ScenarioType
{
    private ScenarioType(string name, string description, bool isNumeric = false, bool observableOnLiveKernel = true)
    {
        Name = name;
        Description = description;
        IsNumeric = isNumeric;
        ObservableOnLiveKernel = observableOnLiveKernel;
    }

    public static ScenarioType Number { get; } = new("number", "a number", isNumeric: true);

    /// <summary>A virtual address: what mmap and mremap return, and such an address plus or minus a number.</summary>
    public static ScenarioType Address { get; } = new("address", "an address", isNumeric: true);

    /// <summary>A page frame number (<c>pfn</c>): the kernel's numbers are not the model's, so only pfn against pfn compares live.</summary>
    public static ScenarioType PageFrameNumber { get; } = new("pfn", "a page frame number", isNumeric: true);

    /// <summary>refcount, mapcount, pincount, PageAnonExclusive, PTE writability: kept private by the kernel.</summary>
    public static ScenarioType PageFact { get; } = new("page fact", "a page fact", isNumeric: true, observableOnLiveKernel: false);

    /// <summary>Memory contents: what read, pipe_read, device_read and file_read return.</summary>
    public static ScenarioType Bytes { get; } = new("bytes", "bytes");

    /// <summary>A string: a label, a display name, or what a <c>try</c> returned ("ok", "SIGSEGV" ...).</summary>
    public static ScenarioType Text { get; } = new("string", "a string");

    public static ScenarioType Process { get; } = new("process", "a process");

    /// <summary>A memfd or tmpfile.</summary>
    public static ScenarioType File { get; } = new("file", "a file");

    /// <summary>A vmsplice() pipe: holds FOLL_GET references to the spliced pages.</summary>
    public static ScenarioType Pipe { get; } = new("pipe", "a pipe");

    /// <summary>FOLL_GET page references from get_user_pages[_fast|_remote]: released by put_pages.</summary>
    public static ScenarioType PageReferences { get; } = new("FOLL_GET handle", "a FOLL_GET page reference handle");

    /// <summary>FOLL_PIN pins from pin_user_pages[_fast|_remote]: released by unpin_user_pages.</summary>
    public static ScenarioType PagePins { get; } = new("FOLL_PIN handle", "a FOLL_PIN page pin handle");

    /// <summary>An io_uring registered (fixed) buffer: FOLL_PIN|FOLL_LONGTERM pins owned by the ring.</summary>
    public static ScenarioType RegisteredBuffer { get; } = new("registered buffer", "a registered buffer");

    /// <summary>The kind of a name whose definition was faulty: using it reports nothing more.</summary>
    public static ScenarioType Error { get; } = new("error", "an invalid value", isNumeric: true);

    /// <summary>Short name, for documentation and traces.</summary>
    public string Name { get; }

    /// <summary>How messages name the kind: "expected a process, found an address".</summary>
    public string Description { get; }

    /// <summary>Usable in arithmetic and where an operation takes a number (a length, an address, a count).</summary>
    public bool IsNumeric { get; }

    /// <summary>Can a program on a live kernel observe a value of this kind? (Not: the kernel-private page facts.)</summary>
    public bool ObservableOnLiveKernel { get; }

    /// <summary>Handles a device can read and write through (device_read, device_write).</summary>
    public bool IsDeviceHandle => this == PageReferences || this == PagePins || this == RegisteredBuffer;

    public override string ToString() => Name;
}
