using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Binding;

/// <summary><c>expect</c>: both sides bound, their kinds compared, and the check numbered.</summary>
internal sealed partial class Binder
{
    private BoundExpect? BindExpect(ExpectSyntax expect)
    {
        var left = BindOperand(expect.Left);
        var right = BindOperand(expect.Right);
        if (left is null || right is null || !Comparable(left, right, expect))
        {
            return null;
        }

        var check = new BoundExpect(_checks.Count, expect.Label, left, expect.Comparison, right, expect.Location);
        _checks.Add(check);
        return check;
    }

    private BoundOperand? BindOperand(OperandSyntax operand)
    {
        switch (operand)
        {
            case ValueOperandSyntax value:
                return new BoundValueOperand(BindExpression(value.Value));
            case QueryOperandSyntax query:
                BoundStatement? bound = null;
                _diagnostics.Try(() => bound = !Operations.IsVerb(query.Query.Verb.Text) || Operations.IsQuery(query.Query.Verb.Text)
                    ? BindCommand(query.Query, discardsValue: false)
                    : throw new ScenarioSyntaxException(query.Query.Verb.Location, $"'{query.Query.Verb.Text}' is not a query: an 'expect' side must be a value or one of {string.Join(", ", Operations.QueryVerbs)}"));
                return bound is BoundQuery result ? new BoundQueryOperand(result) : null;
            default:
                throw new InvalidOperationException($"unknown operand syntax {operand.GetType().Name}");
        }
    }

    /// <summary>Bytes with bytes or with a byte value, numbers with numbers, strings with strings.</summary>
    private bool Comparable(BoundOperand left, BoundOperand right, ExpectSyntax expect)
    {
        var (a, b) = (left.Type, right.Type);
        if (a == ScenarioType.Error || b == ScenarioType.Error)
        {
            return false;
        }

        if (a == ScenarioType.Bytes && b.IsNumeric)
        {
            return IsByteOperand(right);
        }

        if (a.IsNumeric && b == ScenarioType.Bytes)
        {
            return IsByteOperand(left);
        }

        if ((a == ScenarioType.Bytes && b == ScenarioType.Bytes) || (a.IsNumeric && b.IsNumeric) || (a == ScenarioType.Text && b == ScenarioType.Text))
        {
            return true;
        }

        Report(expect.Location, $"cannot compare {a.Description} with {b.Description}");
        return false;
    }

    /// <summary>Bytes against a number mean "every byte is that number": a number known now must be a byte.</summary>
    private bool IsByteOperand(BoundOperand operand)
    {
        if (operand is BoundValueOperand { Value.Constant: > byte.MaxValue and var value })
        {
            Report(operand.Location, $"bytes can only be compared with a byte value 0..255, found {value}");
            return false;
        }

        return true;
    }
}
