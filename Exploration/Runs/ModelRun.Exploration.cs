using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>What the explorer reads of a run: the steps it can take next, and the state its encoder hashes.</summary>
internal sealed partial class ModelRun
{
    public Machine Machine => _machine;

    /// <summary>Every process the run created, in creation order (exited ones included: their references may live on).</summary>
    public IReadOnlyList<VmProcess> Processes => _processes;

    /// <summary>The shadows, parallel to <see cref="Processes"/>.</summary>
    public IReadOnlyList<ProcessShadow> Shadows => _shadows;

    /// <summary>The references held, in the order they were taken.</summary>
    public IReadOnlyList<HeldReference> Held => _held;

    /// <summary>
    /// Every step the alphabet offers in this state, within the universe's bounds: process choices over the live
    /// processes (ranks in creation order), slot choices over the slots that process still maps, reference choices over
    /// the references the step can use. Each is distinct and has a target (it may still change nothing, or be refused).
    /// </summary>
    public void EnabledSteps(Alphabet alphabet, List<(int Letter, Op Op)> steps)
    {
        steps.Clear();
        var live = new List<int>();
        for (var pid = 0; pid < _shadows.Count; pid++)
        {
            if (_shadows[pid].Alive)
            {
                live.Add(pid);
            }
        }

        for (var letterIndex = 0; letterIndex < alphabet.Letters.Count; letterIndex++)
        {
            var letter = alphabet.Letters[letterIndex];
            var template = new Op(letter.Kind, 0, 0, letter.Flags, 0);
            if (template.OnReference)
            {
                var count = Candidates(letter.Kind).Count;
                for (var h = 0; h < count; h++)
                {
                    steps.Add((letterIndex, template with { Handle = h }));
                }
            }
            else if (letter.Kind == OpKind.KsmMerge)
            {
                steps.Add((letterIndex, template));
            }
            else if (template.OnProcessOnly)
            {
                for (var rank = 0; rank < live.Count && (letter.Kind != OpKind.Fork || live.Count < _universe.MaxProcesses); rank++)
                {
                    steps.Add((letterIndex, template with { Process = rank }));
                }
            }
            else if (!template.TakesReference || _held.Count < _universe.MaxReferences)
            {
                for (var rank = 0; rank < live.Count; rank++)
                {
                    for (var slot = 0; slot < _slotAddress.Length; slot++)
                    {
                        if (_shadows[live[rank]].Expected[slot] is not null && Applies(letter.Kind, _universe.Slots[slot]))
                        {
                            steps.Add((letterIndex, template with { Process = rank, Slot = slot }));
                        }
                    }
                }
            }
        }
    }

    /// <summary>THP collapse and split only where there is a THP to collapse or split.</summary>
    private static bool Applies(OpKind kind, SlotKind slot) => kind is not (OpKind.Collapse or OpKind.Split) || slot == SlotKind.Thp;
}
