using System.Reflection;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// The real VmModel GUP entry point as the corpus calls it: <c>Gup.PinUserPagesFast(process, start, nrPages, flags)</c>
/// from the public contract. Read from the referenced VmModel assembly by reflection, so the generator names the
/// process type exactly as the model declares it.
/// </summary>
internal sealed record GupApiShape(string GupType, string ProcessType)
{
    /// <summary>The shape, or null while the VmModel assembly does not (yet) ship the Gup class.</summary>
    public static GupApiShape? TryDetect()
    {
        var gup = typeof(FollFlags).Assembly.GetType("CowGuard.VmModel.Gup");
        var pinFast = gup?.GetMethod("PinUserPagesFast", BindingFlags.Public | BindingFlags.Static);
        var parameters = pinFast?.GetParameters();
        if (gup is null || parameters is not { Length: 4 } || parameters[0].ParameterType.FullName is not { } process)
        {
            return null;
        }

        return new GupApiShape(gup.FullName!, process);
    }
}
