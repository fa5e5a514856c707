using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>Theory data over <see cref="Era.All"/>, so a new era is explored without anyone listing it here.</summary>
internal static class Eras
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var era in Era.All)
        {
            data.Add(era.Name);
        }

        return data;
    }
}
