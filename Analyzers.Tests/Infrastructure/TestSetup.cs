using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace CowGuard.Analyzers.Tests.Infrastructure;

/// <summary>What every CowGuard analyzer test compiles against: net10.0 reference assemblies (offline,
/// Basic.Reference.Assemblies), the real VmModel assembly for the annotations, and the latest language version.</summary>
internal static class TestSetup
{
    public static void Apply(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(CowGuard.VmModel.FollFlags).Assembly.Location));
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            return solution.WithProjectParseOptions(projectId, parseOptions);
        });
    }
}
