using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0100JustificationAuditAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

/// <summary>CG0100: the audit record of every [WrongSideCowOk], with its justification and the calls it covers.</summary>
public sealed class CG0100Tests
{
    private const string Enable = "dotnet_diagnostic.CG0100.severity = suggestion";

    private static Task AuditAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Verify { TestCode = source }.WithTestApis().WithEditorConfig(Enable);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Record(int location, string scope, string covers, string justification) =>
        new DiagnosticResult(CG0100JustificationAuditAnalyzer.Rule).WithLocation(location).WithArguments(scope, covers, justification);

    // That the record stays off unless CowGuardAudit=true is proven end to end in Package.Tests (AuditTests): the
    // testing library reports disabled-by-default diagnostics, so it cannot show it here.
    [Fact]
    public void Disabled_by_default_info_and_tagged_as_audit()
    {
        var rule = CG0100JustificationAuditAnalyzer.Rule;
        Assert.False(rule.IsEnabledByDefault);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, rule.DefaultSeverity);
        Assert.Contains(CG0100JustificationAuditAnalyzer.AuditTag, rule.CustomTags);
    }

    [Fact]
    public Task Method_attribute_lists_the_calls_it_is_the_nearest_cover_of() => AuditAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [{|#0:WrongSideCowOk("Read-only snapshot of a stopped process")|}]
            void M()
            {
                Api.Get(0, 1, FollFlags.None);
                Api.Get(0, 1, FollFlags.BreakCow);
                Api.Get(4096, 1, FollFlags.Longterm);
            }
        }
        """,
        Record(0, "M", "Get (line 8), Get (line 10)", "Read-only snapshot of a stopped process"));

    [Fact]
    public Task Inner_scopes_take_their_own_calls_and_unused_attributes_are_listed_too() => AuditAsync(
        """
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [{|#0:WrongSideCowOk("Outer: the dump runs on a frozen process")|}]
            void Outer()
            {
                Api.Get(0, 1, FollFlags.None);
                Func<PageRefs> f = [{|#1:WrongSideCowOk("Lambda: only hashes the page")|}] () => Api.Get(0, 1, FollFlags.None);
            }

            [{|#2:WrongSideCowOk("Nothing below needs this any more")|}]
            void Unused() { }
        }
        """,
        Record(0, "Outer", "Get (line 9)", "Outer: the dump runs on a frozen process"),
        Record(1, "lambda", "Get (line 10)", "Lambda: only hashes the page"),
        Record(2, "Unused", "no page-reference call", "Nothing below needs this any more"));

    [Fact]
    public Task Type_level_attribute_covers_member_calls() => AuditAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        [{|#0:WrongSideCowOk("The whole type is a read-only debugger view")|}]
        class Viewer
        {
            void A() => Api.Get(0, 1, FollFlags.None);
            PageRefs B => Api.Get(0, 1, FollFlags.None);
        }
        """,
        Record(0, "Viewer", "Get (line 6), Get (line 7)", "The whole type is a read-only debugger view"));
}
