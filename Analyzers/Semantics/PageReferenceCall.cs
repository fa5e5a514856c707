using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// One call to a page-reference API (an invocation, a constructor initializer, an object creation, or a dynamically
/// bound call that may reach one), with its
/// effective-flags verdict. This is the shared walk every CowGuard rule reads.
/// </summary>
internal sealed class PageReferenceCall
{
    private PageReferenceCall(IOperation operation, PageReferenceApi api, IArgumentOperation? flagsArgument, FlagsVerdict verdict, string? unprovableReason)
    {
        Operation = operation;
        Api = api;
        FlagsArgument = flagsArgument;
        Verdict = verdict;
        UnprovableReason = unprovableReason;
    }

    public IOperation Operation { get; }

    public PageReferenceApi Api { get; }

    /// <summary>The argument bound to the API's [GupFlags] parameter (implicit when the default value is used).</summary>
    public IArgumentOperation? FlagsArgument { get; }

    public FlagsVerdict Verdict { get; }

    /// <summary>Why the flags cannot be proven, when <see cref="Verdict"/> is <see cref="FlagsVerdict.NotProvable"/>.</summary>
    public string? UnprovableReason { get; }

    /// <summary>The method name of the call (or the created type / this / base keyword), where diagnostics go.</summary>
    public Location NameLocation => CallSyntax.NameLocation(Operation.Syntax);

    /// <summary>The API an invocation or object creation calls, when it is a page-reference API. A dynamically bound
    /// call counts when the compiler's candidates for it include an API (a dynamic receiver has none: like
    /// reflection, it is outside what a static analysis can see).</summary>
    public static PageReferenceApi? FindApi(IOperation operation, PageReferenceApiCatalog catalog, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return catalog.Find(invocation.TargetMethod);
            case IObjectCreationOperation { Constructor: { } constructor }:
                return catalog.Find(constructor);
            case IDynamicInvocationOperation or IDynamicObjectCreationOperation when operation.SemanticModel is { } model:
                var info = model.GetSymbolInfo(operation.Syntax, cancellationToken);
                if (info.Symbol is IMethodSymbol bound)
                {
                    return catalog.Find(bound);
                }

                foreach (var candidate in info.CandidateSymbols)
                {
                    if (candidate is IMethodSymbol method && catalog.Find(method) is { } api)
                    {
                        return api;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The call of <paramref name="api"/> at <paramref name="operation"/> with its flags verdict.</summary>
    public static PageReferenceCall Create(IOperation operation, PageReferenceApi api, PageReferenceApiCatalog catalog, CancellationToken cancellationToken)
    {
        if (api.FlagsParameter is null)
        {
            // vmsplice/follow_page style: no flags, so it never breaks COW.
            return new PageReferenceCall(operation, api, null, FlagsVerdict.WrongSide, null);
        }

        if (operation.Kind is OperationKind.DynamicInvocation or OperationKind.DynamicObjectCreation)
        {
            return new PageReferenceCall(operation, api, null, FlagsVerdict.NotProvable, "the call is bound at run time (dynamic), where its flags cannot be checked");
        }

        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        var flagsArgument = FindArgument(arguments, api.FlagsParameter.Ordinal);
        var (verdict, reason) = flagsArgument is null
            ? (FlagsVerdict.Invalid, null)
            : FlagsEvaluator.Evaluate(flagsArgument.Value, catalog, cancellationToken);
        return new PageReferenceCall(operation, api, flagsArgument, verdict, reason);
    }

    private static IArgumentOperation? FindArgument(ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument;
            }
        }

        return null;
    }
}
