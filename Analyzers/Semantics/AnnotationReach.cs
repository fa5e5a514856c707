using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Answers, once per assembly, "can a method of this assembly be annotated by VmModel's attributes at all?". An
/// attribute's class is resolved through the references of the assembly that applies it, and a method can only
/// override or implement members of assemblies its own assembly references, so when none of the annotation types'
/// assemblies is reachable through references from the method's assembly, neither the method nor anything it overrides
/// or implements can carry [PageReferenceApi], [GupFlags] or [ReleasesPageReferences]. Calls into such assemblies
/// (the whole framework: LINQ, StringBuilder, collections) are then rejected by one cached lookup per assembly, before
/// any per-method cache or attribute scan.
/// </summary>
internal sealed class AnnotationReach
{
    private readonly ImmutableHashSet<IAssemblySymbol> _annotationAssemblies;
    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _byAssembly = new(SymbolEqualityComparer.Default);

    /// <summary>In front of the table: a compilation sees each assembly as one symbol instance, so nearly every question
    /// is answered by identity, without the symbol comparer.</summary>
    private readonly IdentityMemo<IAssemblySymbol, bool> _recent = new(slotBits: 8);

    /// <summary>One delegate each for the lifetime of the reach, instead of a conversion on every call.</summary>
    private readonly System.Func<IAssemblySymbol, bool> _reachesAnnotations;
    private readonly System.Func<IAssemblySymbol, bool> _lookUp;

    public AnnotationReach(IAssemblySymbol sourceAssembly, IEnumerable<INamedTypeSymbol> annotationTypes)
    {
        // Source methods may always carry the annotations: seeding the table answers them with the same one lookup
        // that answers every other assembly.
        _byAssembly[sourceAssembly] = true;
        _reachesAnnotations = ReachesAnnotations;
        _lookUp = assembly => _byAssembly.GetOrAdd(assembly, _reachesAnnotations);
        var assemblies = ImmutableHashSet.CreateBuilder<IAssemblySymbol>(SymbolEqualityComparer.Default);
        foreach (var type in annotationTypes)
        {
            if (type.ContainingAssembly is { } assembly)
            {
                assemblies.Add(assembly);
            }
        }

        _annotationAssemblies = assemblies.ToImmutable();
    }

    /// <summary>False only when <paramref name="method"/>'s assembly provably cannot see the annotation types; true for
    /// source methods and whenever the assembly is unknown (then the full check decides).</summary>
    public bool MayBeAnnotated(IMethodSymbol method) => MayDeclareAnnotated(method.ContainingAssembly);

    /// <summary>The same question for every method of <paramref name="assembly"/>.</summary>
    public bool MayDeclareAnnotated(IAssemblySymbol? assembly) =>
        assembly is null || _recent.GetOrAdd(assembly, _lookUp);

    /// <summary>Depth-first over the resolved references of the assembly's modules (cycles and diamonds visited once).
    /// Runs once per distinct assembly whose methods are called, over at most the compilation's references.</summary>
    private bool ReachesAnnotations(IAssemblySymbol start)
    {
        var visited = new HashSet<IAssemblySymbol>(SymbolEqualityComparer.Default) { start };
        var pending = new Stack<IAssemblySymbol>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var assembly = pending.Pop();
            if (_annotationAssemblies.Contains(assembly))
            {
                return true;
            }

            foreach (var module in assembly.Modules)
            {
                foreach (var referenced in module.ReferencedAssemblySymbols)
                {
                    if (visited.Add(referenced))
                    {
                        pending.Push(referenced);
                    }
                }
            }
        }

        return false;
    }
}
