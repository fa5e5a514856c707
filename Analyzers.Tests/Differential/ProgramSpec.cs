namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>
/// A generated program as a tree of choices. Every choice is a small number that the renderer maps onto a shape
/// (<see cref="ProgramRenderer"/>) taken modulo what exists where it is used — a variable index modulo the variables
/// in scope, a call target modulo the functions that may be called there — so every tree renders to a valid program
/// and CsCheck can shrink any part of it (shorter arrays, smaller numbers) without breaking the others.
/// </summary>
public sealed record ProgramSpec(FunctionSpec[] Functions, StatementSpec[] Main)
{
    public override string ToString() => ProgramRenderer.Render(this, 0).Source;
}

/// <summary>A forwarding function: its kind (<see cref="FunctionKind"/>, modulo), whether [WrongSideCowOk] covers it,
/// and its body (which ends by forwarding its flags).</summary>
public sealed record FunctionSpec(int Kind, bool Justified, StatementSpec[] Body, ExpressionSpec Forwarded, int Target);

/// <summary>A statement: its kind (<see cref="StatementKind"/>, modulo), a choice, up to two expressions and two
/// nested blocks.</summary>
public sealed record StatementSpec(int Kind, int Pick, ExpressionSpec Value, StatementSpec[] Then, StatementSpec[] Else);

/// <summary>A flags expression: its kind (<see cref="ExpressionKind"/>, modulo), a choice and up to three operands.</summary>
public sealed record ExpressionSpec(int Kind, int Pick, ExpressionSpec? Left, ExpressionSpec? Right, ExpressionSpec? Third);

/// <summary>How a forwarding function is declared and reached (each one a row of docs/rules/soundness.md).</summary>
public enum FunctionKind
{
    /// <summary>A static method with a [GupFlags] parameter.</summary>
    StaticWrapper,

    /// <summary>A static method whose flags parameter has no [GupFlags].</summary>
    PlainParameter,

    /// <summary>A local function of Run with a [GupFlags] parameter.</summary>
    LocalFunction,

    /// <summary>A lambda with a [GupFlags] parameter, converted to a delegate and invoked through it.</summary>
    Lambda,

    /// <summary>A static [GupFlags] wrapper that Run calls through a method-group delegate.</summary>
    MethodGroup,

    /// <summary>An override of an abstract method whose parameter carries [GupFlags] (the override does not repeat it).</summary>
    OverrideInheritingContract,

    /// <summary>An override that adds [GupFlags] the abstract method does not have.</summary>
    OverrideAddingContract,

    /// <summary>An implementation of an interface method whose parameter carries [GupFlags].</summary>
    InterfaceInheritingContract,

    /// <summary>An implementation that adds [GupFlags] the interface method does not have.</summary>
    InterfaceAddingContract,

    /// <summary>A [GupFlags] method of a base class that implements, for a derived class, an interface method without
    /// the contract.</summary>
    InheritedImplementation,
}

/// <summary>The statements a body can hold.</summary>
public enum StatementKind
{
    Declare,
    Assign,
    CompoundOr,
    CompoundAndNot,
    CompoundXor,
    IfElse,
    Loop,
    TryCatch,
    ThrowIf,
    RefLocalWrite,
    RefArgument,
    OutArgument,
    InArgument,
    LambdaWrite,
    LocalFunctionWrite,
    IncrementOrDecrement,
    Deconstruction,
    Pattern,
    FieldWrite,
    Call,
    CallInLambda,
    TryFinally,
    Switch,
}

/// <summary>The flags expressions.</summary>
public enum ExpressionKind
{
    Constant,
    Variable,
    Or,
    And,
    Mask,
    Xor,
    Conditional,
    SwitchExpression,
    Field,
    MethodResult,
    Default,
    IntegerRoundTrip,
    TupleItem,
    AssignmentExpression,
}
