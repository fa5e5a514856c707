using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>The statements of a program in the order the translation meets them: each statement, then the operation inside a <c>try</c>.</summary>
internal static class StatementWalk
{
    public static IEnumerable<BoundStatement> All(BoundProgram program) => program.Statements.SelectMany(Within);

    public static IEnumerable<BoundStatement> Within(BoundStatement statement) =>
        statement is BoundTry attempt ? [statement, .. Within(attempt.Operation)] : [statement];
}
