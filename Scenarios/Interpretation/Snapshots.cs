using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Builds <see cref="MachineSnapshot"/>s from the model's public inspection API (VMAs and <see cref="VmProcess.Inspect"/>).</summary>
internal static class Snapshots
{
    public static MachineSnapshot Take(Machine machine) =>
        new(machine.Processes.Select(p => new ProcessSnapshot(p.Name, EntriesOf(p).ToList())).ToList());

    private static IEnumerable<PteSnapshot> EntriesOf(VmProcess process)
    {
        foreach (var vma in process.Vmas)
        {
            for (var address = vma.Start; address < vma.End; address += PageGeometry.PageSize)
            {
                var info = process.Inspect(address);
                if (info.Present || info.Swapped)
                {
                    yield return new PteSnapshot(address, info.Writable, info.Swapped, info.Page);
                }
            }
        }
    }
}
