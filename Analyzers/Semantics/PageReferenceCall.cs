using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// One call to a page-reference API (an invocation, a constructor initializer or an object creation), with its
/// effective-flags verdict. This is the shared walk every CowGuard rule reads.
/// </summary>
internal sealed class PageReferenceCall
{
    private PageReferenceCall(IOperation operation, PageReferenceApi api, IArgumentOperation? flagsArgument, FlagsVerdict verdict)
    {
        Operation = operation;
        Api = api;
        FlagsArgument = flagsArgument;
        Verdict = verdict;
    }

    public IOperation Operation { get; }

    public PageReferenceApi Api { get; }

    /// <summary>The argument bound to the API's [GupFlags] parameter (implicit when the default value is used).</summary>
    public IArgumentOperation? FlagsArgument { get; }

    public FlagsVerdict Verdict { get; }

    /// <summary>The method name of the call (or the created type / this / base keyword), where diagnostics go.</summary>
    public Location NameLocation => CallSyntax.NameLocation(Operation.Syntax);

    /// <summary>Recognises a page-reference call; null for any other operation or for broken code.</summary>
    public static PageReferenceCall? TryCreate(IOperation operation, PageReferenceApiCatalog catalog, CancellationToken cancellationToken)
    {
        var (method, arguments) = operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null)
        {
            return null;
        }

        var api = catalog.Find(method);
        if (api is null)
        {
            return null;
        }

        if (api.FlagsParameter is null)
        {
            // vmsplice/follow_page style: no flags, so it never breaks COW.
            return new PageReferenceCall(operation, api, null, FlagsVerdict.WrongSide);
        }

        var flagsArgument = FindArgument(arguments, api.FlagsParameter.Ordinal);
        var verdict = flagsArgument is null
            ? FlagsVerdict.Invalid
            : FlagsEvaluator.Evaluate(flagsArgument.Value, catalog.Symbols, cancellationToken);
        return new PageReferenceCall(operation, api, flagsArgument, verdict);
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
