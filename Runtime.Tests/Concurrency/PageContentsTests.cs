using Xunit;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// The page-contents lock: a uniform page gets its byte array on the first partial write, so two unlocked partial
/// writes racing on a fresh page could each create an array and one write would vanish. Real memory never loses a
/// store to another byte of the page.
/// </summary>
public sealed class PageContentsTests
{
    private const int Rounds = 3_000;

    [Fact]
    public void Concurrent_partial_writes_to_a_fresh_page_keep_both_bytes()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var folios = new Folio[Rounds];
        for (var i = 0; i < Rounds; i++)
            folios[i] = machine.Memory.Allocate(0, FolioKind.Anon, i);
        using var start = new Barrier(2);
        var writers = new[] { (Offset: 17, Value: (byte)1), (Offset: 3000, Value: (byte)2) }.Select(w => new Thread(() =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                start.SignalAndWait();
                folios[i].WriteBytes(0, w.Offset, [w.Value]);
            }
        }) { IsBackground = true }).ToList();
        writers.ForEach(t => t.Start());
        Assert.All(writers, t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));

        var lost = folios.Count(f => ByteAt(f, 17) != 1 || ByteAt(f, 3000) != 2);
        Assert.Equal(0, lost);
    }

    private static byte ByteAt(Folio folio, int offset)
    {
        Span<byte> one = stackalloc byte[1];
        folio.ReadBytes(0, offset, one);
        return one[0];
    }
}
