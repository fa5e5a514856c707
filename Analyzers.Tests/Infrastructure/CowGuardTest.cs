using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CowGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// A CowGuard analyzer/code-fix test: net10.0 reference assemblies (offline, Basic.Reference.Assemblies), the real
/// VmModel assembly for the annotations, and the annotated test APIs of <see cref="TestApis"/> as a second file.
/// </summary>
public sealed class CowGuardTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CowGuardTest() => TestSetup.Apply(this);

    /// <summary>Adds the annotated test APIs (Lib.Api) to the test and, when a fix is expected, to the fixed state
    /// (call it after setting FixedCode: a fixed state with sources does not inherit the test state's).</summary>
    public CowGuardTest<TAnalyzer, TCodeFix> WithTestApis()
    {
        TestState.Sources.Add(("/0/TestApis.cs", TestApis.Source));
        if (FixedState.Sources.Count > 0)
        {
            FixedState.Sources.Add(("/0/TestApis.cs", TestApis.Source));
        }

        return this;
    }

    /// <summary>Adds an .editorconfig section for all C# files.</summary>
    public CowGuardTest<TAnalyzer, TCodeFix> WithEditorConfig(string options)
    {
        TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + options + "\n"));
        return this;
    }
}
