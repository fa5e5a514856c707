using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Binding;

/// <summary>Expressions: names resolved to symbols, kinds checked against what the operand takes, constants folded and range-checked.</summary>
internal sealed partial class Binder
{
    public BoundExpression Number(ExpressionSyntax syntax) => Bind(syntax, Requirement.Number);

    public BoundExpression Process(ExpressionSyntax syntax) => Bind(syntax, Requirement.Process);

    public BoundExpression Bind(ExpressionSyntax syntax, Requirement requirement)
    {
        var bound = BindExpression(syntax);
        if (bound.Type != ScenarioType.Error && !requirement.Accepts(bound.Type))
        {
            var named = syntax is NameSyntax name ? $" in '{name.Name}'" : string.Empty;
            Report(syntax.Location, $"expected {requirement.Description}, found {bound.Type.Description}{named}");
        }

        return bound;
    }

    /// <summary>A byte value (fill, write, device_write): 0..255 when known before the run (else checked when it runs).</summary>
    public BoundExpression Byte(ExpressionSyntax syntax) =>
        InRange(Number(syntax), value => value <= byte.MaxValue, value => $"expected a byte value 0..255, found {value}");

    /// <summary>A GUP page count: 1 .. int.MaxValue.</summary>
    public BoundExpression PageCount(ExpressionSyntax syntax) =>
        InRange(Number(syntax), value => value is > 0 and <= int.MaxValue, value => $"expected a page count from 1 to {int.MaxValue}, found {value}");

    /// <summary>A hugetlb page size: 2M or 1G, the sizes x86-64 offers.</summary>
    public BoundExpression HugetlbSize(ExpressionSyntax syntax) =>
        InRange(Number(syntax), IsHugetlbSize, value => HugetlbSizeError(value));

    /// <summary>An alignment: a power of two.</summary>
    public BoundExpression Alignment(ExpressionSyntax syntax) =>
        InRange(Number(syntax), value => value != 0 && (value & (value - 1)) == 0, value => $"expected a power-of-two alignment, found {value}");

    public static bool IsHugetlbSize(ulong size) => size is PageGeometry.PmdSize or PageGeometry.PudSize;

    public static string HugetlbSizeError(ulong size) => $"expected a hugetlb size of 2M or 1G, found {size}";

    /// <summary>
    /// A value that must be known before the run (the machine boots with it); reports and returns null otherwise. A
    /// backing bound on its own has no parameter value yet: that is checked when a scenario runs it.
    /// </summary>
    public ulong? RequireConstant(BoundExpression expression, string why)
    {
        if (expression.Constant is null && expression.Type != ScenarioType.Error && !_standalone)
        {
            Report(expression.Location, why);
        }

        return expression.Constant;
    }

    /// <summary>A label or a display name: a string written in place.</summary>
    public string Label(ExpressionSyntax syntax, string what) => syntax is StringSyntax text
        ? text.Value
        : throw new ScenarioSyntaxException(syntax.Location, $"expected {what}, found {syntax.Describe()}");

    private BoundExpression InRange(BoundExpression bound, Func<ulong, bool> valid, Func<ulong, string> error)
    {
        if (bound.Constant is { } value && bound.Type != ScenarioType.Error && !valid(value))
        {
            Report(bound.Location, error(value));
        }

        return bound;
    }

    private BoundExpression BindExpression(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax number => new BoundNumber(number.Value, number.Spelling, number.Location),
        StringSyntax text => new BoundString(text.Value, text.Location),
        NameSyntax name => Lookup(name),
        BinarySyntax binary => BindArithmetic(binary),
        FlagUnionSyntax flags => Invalid(flags.Location, "a '|' flag list is not a value here"),
        _ => throw new InvalidOperationException($"unknown expression syntax {syntax.GetType().Name}"),
    };

    private BoundExpression Lookup(NameSyntax name)
    {
        if (_scope.TryGetValue(name.Name, out var symbol))
        {
            return new BoundVariable(symbol, name.Location);
        }

        if (_standalone)
        {
            return new BoundVariable(ErrorSymbol(name.Name, name.Location), name.Location);
        }

        var hint = Operations.IsVerb(name.Name) ? $" ('{name.Name}' is an operation: write it first on the right of '=')" : string.Empty;
        return Invalid(name.Location, $"unknown variable '{name.Name}': it is used before anything assigns it{hint}");
    }

    private BoundExpression Invalid(SourceLocation location, string cause)
    {
        Report(location, cause);
        return new BoundVariable(ErrorSymbol("?", location), location);
    }

    private BoundExpression BindArithmetic(BinarySyntax binary)
    {
        var left = Number(binary.Left);
        var right = Number(binary.Right);
        var type = ArithmeticType(left.Type, binary.Operator, right.Type);
        ulong? folded = null;
        if (type != ScenarioType.Error && left.Constant is { } l && right.Constant is { } r)
        {
            folded = Fold(l, binary.Operator, r, binary.Location);
            type = folded is null ? ScenarioType.Error : type;
        }

        return new BoundArithmetic(left, binary.Operator, right, type, folded, binary.Location);
    }

    /// <summary>
    /// An address plus or minus a number is an address; a page fact or a page frame number stays one through
    /// arithmetic, so a live comparison still knows what it cannot observe; everything else is a number.
    /// </summary>
    private static ScenarioType ArithmeticType(ScenarioType left, ArithmeticOperator op, ScenarioType right)
    {
        if (left == ScenarioType.Error || right == ScenarioType.Error || !left.IsNumeric || !right.IsNumeric)
        {
            return ScenarioType.Error;
        }

        if (left == ScenarioType.PageFact || right == ScenarioType.PageFact)
        {
            return ScenarioType.PageFact;
        }

        if (left == ScenarioType.PageFrameNumber || right == ScenarioType.PageFrameNumber)
        {
            return ScenarioType.PageFrameNumber;
        }

        var addresses = (left == ScenarioType.Address ? 1 : 0) + (right == ScenarioType.Address ? 1 : 0);
        return addresses == 1 && op is ArithmeticOperator.Add or ArithmeticOperator.Subtract ? ScenarioType.Address : ScenarioType.Number;
    }

    private ulong? Fold(ulong left, ArithmeticOperator op, ulong right, SourceLocation location)
    {
        if (Arithmetic.Apply(left, op, right) is { } value)
        {
            return value;
        }

        Report(location, op == ArithmeticOperator.Divide ? "division by zero" : Arithmetic.OutOfRange(left, right));
        return null;
    }
}
