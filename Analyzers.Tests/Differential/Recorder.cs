using CowGuard.VmModel;

namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>A forwarding function of a generated program, called through a delegate (the site id travels with the call
/// so the recorder knows which call site entered it).</summary>
/// <param name="site">The id of the call site.</param>
/// <param name="flags">The flags the call passes.</param>
public delegate void Forward(int site, FollFlags flags);

/// <summary>
/// The run-time half of the differential test: what generated programs call to take page references and to say where
/// they are. It never changes what the analyzers see — a generated call site either calls a real <see cref="Gup"/>
/// entry point and hands the returned handle to <see cref="Keep"/>, or calls <see cref="Get"/>, an ordinary [GupFlags]
/// wrapper (exactly the kind of wrapper users write) that records the flags and then calls
/// <see cref="Gup.GetUserPages"/>. Every record carries the stack of call sites of the generated wrappers the call
/// went through, so the oracle can ask whether any site on the way was reported. The state is per thread.
/// </summary>
public static class Recorder
{
    [ThreadStatic]
    private static RunState? t_state;

    /// <summary>A static field, for the "flags read from a field" shape.</summary>
    [ThreadStatic]
    public static FollFlags Field;

    private static RunState State => t_state ?? throw new InvalidOperationException("Recorder.Begin was not called on this thread");

    /// <summary>The process whose pages the generated program references.</summary>
    public static VmProcess Process => State.Process;

    /// <summary>A populated, writable, private anonymous page of <see cref="Process"/>.</summary>
    public static ulong Address => State.Address;

    /// <summary>Starts a run on this thread: a fresh record list, the input bits the program's conditions read.</summary>
    public static void Begin(VmProcess process, ulong address, int input)
    {
        t_state = new RunState(process, address, input);
        Field = FollFlags.None;
    }

    /// <summary>Ends the run and returns what it recorded.</summary>
    public static (IReadOnlyList<RecordedCall> Calls, int Refused) End()
    {
        var state = State;
        t_state = null;
        return (state.Calls, state.Refused);
    }

    /// <summary>Bit <paramref name="n"/> of the run's input: the generated conditions.</summary>
    public static bool Bit(int n) => ((State.Input >> (n & 31)) & 1) != 0;

    /// <summary>A number in [0, 3) from the input, for switch statements and expressions.</summary>
    public static int Choice(int n) => (int)((uint)State.Input >> (n & 31) & 3) % 3;

    /// <summary>Entered a generated forwarding function through call site <paramref name="site"/>.</summary>
    public static void Enter(int site) => State.Stack.Add(site);

    /// <summary>Left the innermost generated forwarding function.</summary>
    public static void Exit() => State.Stack.RemoveAt(State.Stack.Count - 1);

    /// <summary>A [GupFlags] wrapper of get_user_pages that records the flags it is called with, then calls it (an
    /// invalid combination — FOLL_WRITE with BreakCow — is refused by the model and recorded all the same).</summary>
    /// <param name="site">The id of the call site.</param>
    /// <param name="flags">The flags, forwarded unchanged.</param>
    public static void Get(int site, [GupFlags] FollFlags flags)
    {
        Record(site, flags);
        try
        {
            using var references = Gup.GetUserPages(Process, Address, 1, flags);
        }
        catch (VmException)
        {
            State.Refused++;
        }
    }

    /// <summary>Records the flags a real <see cref="Gup"/> call took its references with, and releases them.</summary>
    /// <param name="site">The id of the call site.</param>
    /// <param name="handle">What the call returned (null: follow_page found nothing).</param>
    public static void Keep(int site, PageReferenceHandle? handle)
    {
        if (handle is not null)
        {
            Record(site, handle.Flags);
            handle.Dispose();
        }
    }

    /// <summary>A real Gup call refused by the model (for example FOLL_WRITE together with BreakCow): no reference.</summary>
    public static void Refused() => State.Refused++;

    /// <summary>The "flags are a method result" shape.</summary>
    public static FollFlags Id(FollFlags flags) => flags;

    /// <summary>The pattern-variable shape: a boxed value to match.</summary>
    public static object Box(FollFlags flags) => flags;

    /// <summary>The ref-argument shape: writes through the reference.</summary>
    public static void Touch(ref FollFlags flags, FollFlags value) => flags = value;

    /// <summary>The out-argument shape.</summary>
    public static void Set(out FollFlags flags, FollFlags value) => flags = value;

    /// <summary>The in-argument shape (reads only, but the analyzer cannot know).</summary>
    public static int Look(in FollFlags flags) => (int)flags;

    private static void Record(int site, FollFlags flags) => State.Calls.Add(new RecordedCall(site, flags, State.Stack.ToArray()));

    private sealed class RunState(VmProcess process, ulong address, int input)
    {
        public VmProcess Process { get; } = process;

        public ulong Address { get; } = address;

        public int Input { get; } = input;

        public List<int> Stack { get; } = [];

        public List<RecordedCall> Calls { get; } = [];

        public int Refused { get; set; }
    }
}

/// <summary>One page reference a generated program took: where, with which flags, through which wrapper call sites
/// (outermost first).</summary>
public sealed record RecordedCall(int Site, FollFlags Flags, int[] Through);
