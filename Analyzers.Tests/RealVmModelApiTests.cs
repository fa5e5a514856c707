using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CowGuard.Analyzers.Tests;

/// <summary>The rules against VmModel's own annotated API (Gup, VmProcess.Vmsplice), compiled from the real assembly.</summary>
public sealed class RealVmModelApiTests
{
    private static Task DiagnoseAsync<TAnalyzer>(string source)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new() =>
        new Infrastructure.CowGuardTest<TAnalyzer, EmptyCodeFixProvider> { TestCode = source }.RunAsync();

    [Fact]
    public Task CG0001_on_every_gup_entry_point_and_vmsplice() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer>("""
            using CowGuard.VmModel;
            class C
            {
                void M(VmProcess p, Pipe pipe)
                {
                    using var a = Gup.{|CG0001:GetUserPages|}(p, 0, 1, FollFlags.None);
                    using var b = Gup.{|CG0001:GetUserPagesFast|}(p, 0, 1, FollFlags.Force);
                    using var c = Gup.{|CG0001:GetUserPagesRemote|}(p, 0, 1, FollFlags.Dump);
                    using var d = Gup.{|CG0001:PinUserPages|}(p, 0, 1, FollFlags.Longterm);
                    using var e = Gup.{|CG0001:PinUserPagesFast|}(p, 0, 1, FollFlags.None);
                    using var f = Gup.{|CG0001:PinUserPagesRemote|}(p, 0, 1, FollFlags.Anon);
                    using var g = Gup.{|CG0001:FollowPage|}(p, 0, FollFlags.None);
                    p.{|CG0001:Vmsplice|}(pipe, 0, 4096);

                    using var ok1 = Gup.GetUserPages(p, 0, 1, FollFlags.BreakCow);
                    using var ok2 = Gup.PinUserPages(p, 0, 1, FollFlags.Write | FollFlags.Longterm);
                }

                [WrongSideCowOk("Demonstrates CVE-2020-29374: the wrong-side reference is the point")]
                long Demo(VmProcess p, Pipe pipe) => p.Vmsplice(pipe, 0, 4096);
            }
            """);

    [Fact]
    public Task CG0006_and_CG0007_on_gup_handles() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0007WrongReleaseApiAnalyzer>("""
            using CowGuard.VmModel;
            class C
            {
                void M(VmProcess p)
                {
                    var pins = Gup.PinUserPages(p, 0, 1, FollFlags.Write | FollFlags.Longterm);
                    Gup.PutPages({|CG0007:pins|});
                    Gup.UnpinUserPages({|CG0007:Gup.GetUserPages(p, 0, 1, FollFlags.BreakCow)|});
                    Gup.UnpinUserPages(Gup.PinUserPagesFast(p, 0, 1, FollFlags.Write), makeDirty: true);
                    Gup.PutPages(Gup.GetUserPagesFast(p, 0, 1, FollFlags.Write));
                }
            }
            """);

    [Fact]
    public Task CG0006_on_a_discarded_pin() =>
        DiagnoseAsync<CowGuard.Analyzers.Rules.CG0006PageReferenceLeakAnalyzer>("""
            using CowGuard.VmModel;
            class C
            {
                PinnedPages Keep(VmProcess p) => Gup.PinUserPages(p, 0, 1, FollFlags.Write);
                void M(VmProcess p)
                {
                    Gup.{|CG0006:PinUserPages|}(p, 0, 1, FollFlags.Write | FollFlags.Longterm);
                    var count = Gup.{|CG0006:GetUserPages|}(p, 0, 4, FollFlags.BreakCow).PageCount;
                    using var held = Gup.GetUserPages(p, 0, 1, FollFlags.BreakCow);
                }
            }
            """);
}
