using CowGuard.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CowGuard.Analyzers.Tests;

/// <summary>
/// Where the annotations may come from. The analyzers skip a compilation whose assemblies declare no CowGuard.VmModel
/// namespace, and skip calls into assemblies from which no annotation assembly is reachable; these tests pin down
/// that both shortcuts only skip what cannot be annotated: annotation types declared in source, APIs of other
/// libraries, and overrides in a library that references the annotated library but not VmModel itself.
/// </summary>
public sealed class AnnotationVisibilityTests
{
    /// <summary>The contract the analyzers look for, declared by a project itself instead of referencing VmModel.</summary>
    private const string SourceAnnotations = """
        using System;

        namespace CowGuard.VmModel
        {
            [Flags] public enum FollFlags { None = 0, Write = 1, BreakCow = 2, Force = 4 }
            [AttributeUsage(AttributeTargets.Method)] public sealed class PageReferenceApiAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Parameter)] public sealed class GupFlagsAttribute : Attribute { }
            public sealed class WrongSideCowOkAttribute : Attribute { public WrongSideCowOkAttribute(string why) { } }
        }
        """;

    [Fact]
    public Task Annotation_types_declared_in_source_are_found_without_a_VmModel_reference()
    {
        var test = new CSharpAnalyzerTest<CG0001PageReferenceWithoutBreakCowAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestCode = SourceAnnotations + """

                namespace App
                {
                    using CowGuard.VmModel;

                    static class Api
                    {
                        [PageReferenceApi]
                        public static IDisposable Get(ulong start, [GupFlags] FollFlags flags) => null!;

                        static void M()
                        {
                            Api.{|CG0001:Get|}(0, FollFlags.Force);
                            Api.Get(0, FollFlags.BreakCow);
                        }
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        return test.RunAsync();
    }

    [Fact]
    public Task APIs_of_a_referenced_library_are_found()
    {
        var library = Emit("Driver", """
            using CowGuard.VmModel;

            namespace Driver;

            public static class Dma
            {
                [PageReferenceApi(PageReferenceKind.Pin)]
                public static System.IDisposable Map(ulong start, [GupFlags] FollFlags flags) => null!;
            }
            """, VmModel);
        var test = new Infrastructure.CowGuardTest<CG0001PageReferenceWithoutBreakCowAnalyzer, EmptyCodeFixProvider>
        {
            TestCode = """
                using CowGuard.VmModel;

                class C
                {
                    void M()
                    {
                        using var bad = Driver.Dma.{|CG0001:Map|}(0, FollFlags.Force);
                        using var good = Driver.Dma.Map(0, FollFlags.Write);
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(library);
        return test.RunAsync();
    }

    [Fact]
    public Task An_override_in_a_library_that_does_not_reference_VmModel_inherits_the_annotation()
    {
        // Base declares the vmsplice-style API (no flags, never breaks COW); Derived overrides it and references only
        // Base, so VmModel is reachable from Derived's assembly only through Base's.
        var baseLibrary = Emit("BaseDriver", """
            namespace BaseDriver;

            public abstract class Splicer
            {
                [CowGuard.VmModel.PageReferenceApi]
                public abstract System.IDisposable Splice(ulong start);
            }
            """, VmModel);
        var derivedLibrary = Emit("DerivedDriver", """
            namespace DerivedDriver;

            public sealed class PipeSplicer : BaseDriver.Splicer
            {
                public override System.IDisposable Splice(ulong start) => null!;
            }
            """, baseLibrary);
        Assert.DoesNotContain(
            Compile("Probe", string.Empty, derivedLibrary, baseLibrary).GetAssemblyOrModuleSymbol(derivedLibrary) is IAssemblySymbol derived
                ? derived.Modules.Single().ReferencedAssemblySymbols.Select(a => a.Name)
                : throw new InvalidOperationException("the derived library did not load"),
            name => name == "CowGuard.VmModel");

        var test = new Infrastructure.CowGuardTest<CG0001PageReferenceWithoutBreakCowAnalyzer, EmptyCodeFixProvider>
        {
            TestCode = """
                class C
                {
                    void M(DerivedDriver.PipeSplicer splicer)
                    {
                        using var refs = splicer.{|CG0001:Splice|}(0);
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(baseLibrary);
        test.TestState.AdditionalReferences.Add(derivedLibrary);
        return test.RunAsync();
    }

    private static MetadataReference VmModel { get; } =
        MetadataReference.CreateFromFile(typeof(CowGuard.VmModel.FollFlags).Assembly.Location);

    private static CSharpCompilation Compile(string name, string source, params MetadataReference[] references) =>
        CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            [.. Basic.Reference.Assemblies.Net100.References.All, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static MetadataReference Emit(string name, string source, params MetadataReference[] references)
    {
        using var image = new MemoryStream();
        var result = Compile(name, source, references).Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
