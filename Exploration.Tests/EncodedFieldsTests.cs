using System.Reflection;
using System.Text.RegularExpressions;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>
/// The encoder's decisions cover every field the model and the run really have — a field the model gains makes this
/// fail until someone decides whether the canonical encoding must include it — and every type a run's object graph
/// holds is either decided field by field or known to hold no state of its own.
/// </summary>
public sealed partial class EncodedFieldsTests
{
    /// <summary>Types a run reaches whose fields need no decision: locks, constants, stateless services, history.</summary>
    private static readonly HashSet<string> Opaque =
    [
        "ModelLock", "RwSemaphore", "MachineOptions", "Universe", "EventLog", "VmEvent", "Rmap", "Swapper", "FaultHandler", "GupEngine",
        "PinnedPages", "PageReferences", "ExecutedStep", "Op", "FailedCheck", "Violation", "OracleSet", "PageTableRange",
    ];

    [Fact]
    public void Every_field_of_every_decided_type_has_a_decision()
    {
        foreach (var (type, decisions) in EncodedFields.Decisions)
        {
            var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(f => FieldName(f.Name)).Order().ToList();
            Assert.True(fields.SequenceEqual(decisions.Keys.Order()), $"{type.Name}: fields {string.Join(", ", fields)}; decided {string.Join(", ", decisions.Keys.Order())}");
            Assert.All(decisions.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
        }
    }

    [Fact]
    public void Every_model_type_a_run_holds_is_decided_or_known_to_hold_no_state()
    {
        var run = ModelRun.StartExploring(Era.AnonExclusive, new Universe { Slots = [SlotKind.BasePage, SlotKind.Thp, SlotKind.Hugetlb], MaxProcesses = 3, MaxReferences = 4 }, new HashSet<Oracle>());
        foreach (var op in new Op[]
        {
            new(OpKind.Fork, 0, 0, FollFlags.None, 0), new(OpKind.PinUserPages, 0, 0, FollFlags.Write, 0),
            new(OpKind.Vmsplice, 1, 2, FollFlags.None, 0), new(OpKind.IoUringRegister, 1, 0, FollFlags.None, 0),
            new(OpKind.SwapOut, 1, 1, FollFlags.None, 0), new(OpKind.Mergeable, 0, 0, FollFlags.None, 0),
        })
        {
            run.Explore(op);
        }

        var decided = EncodedFields.Decisions.Keys.Select(t => t.Name).ToHashSet();
        var undecided = ReachableTypes(run)
            .Where(t => t.Assembly == typeof(Machine).Assembly || t.Assembly == typeof(Explorer).Assembly)
            .Where(t => !t.IsEnum && !typeof(Era).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Where(name => !decided.Contains(name) && !Opaque.Contains(name))
            .ToList();
        Assert.Empty(undecided);
    }

    /// <summary>Backing fields by their property's name, primary-constructor captures by their parameter's.</summary>
    private static string FieldName(string name) => BackingField().Match(name) is { Success: true } match ? match.Groups[1].Value : name;

    [GeneratedRegex(@"^<(\w+)>(k__BackingField|P)$")]
    private static partial Regex BackingField();

    private static HashSet<Type> ReachableTypes(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var types = new HashSet<Type>();
        var pending = new Stack<object>([root]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current) || current is string or Type or Delegate)
            {
                continue;
            }

            types.Add(current is Array ? current.GetType().GetElementType()! : current.GetType());
            foreach (var value in Children(current))
            {
                if (value is not null && !value.GetType().IsPrimitive)
                {
                    if (value.GetType().IsValueType)
                    {
                        types.Add(value.GetType());
                    }

                    pending.Push(value);
                }
            }
        }

        return types;
    }

    private static IEnumerable<object?> Children(object current)
    {
        if (current is Array array)
        {
            return array.Cast<object?>();
        }

        var fields = new List<FieldInfo>();
        for (var type = current.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            fields.AddRange(type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }

        return fields.Select(f => f.GetValue(current));
    }
}
