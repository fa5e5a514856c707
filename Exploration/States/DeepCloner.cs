using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// Copies a run — its machine, processes, folios, page tables, handles, pipes and the oracles' shadow — as one object
/// graph, so the explorer can take a step from a state without replaying the steps that led to it. Generic over the
/// model's types, so a field the model gains is copied without anyone having to remember it: each object is copied
/// shallowly (MemberwiseClone) and its reference fields (also those inside structs and arrays of structs, such as a
/// page table's entries) are redirected to the copies, which keeps sharing and cycles intact.
/// <para>
/// Shared rather than copied: strings, the eras (compared by reference), the machine options and the universe (never
/// changed after creation), the zero pages (never counted, written or freed), an event log that does not record, and
/// — for copies stepped on their original's thread — locks; otherwise locks are made fresh (a copied lock would carry
/// its owner's state; the graph is only copied while no operation runs, when every lock is free). Refused with <see cref="NotSupportedException"/>: delegates,
/// thread-locals, pointers, and hash-based collections keyed by objects (their buckets follow identity hashes, which
/// copies do not keep) — none of which the model holds today, so a change that adds one fails loudly instead of
/// corrupting copies.
/// </para>
/// </summary>
/// <param name="shareLocks">
/// Share the locks with the original instead of making new ones: for copies made and stepped on one thread only (a
/// worker's own states), where a lock is always free between two operations; a copy stepped on another thread than
/// its original needs locks of its own.
/// </param>
internal sealed class DeepCloner(bool shareLocks = false)
{
    private static readonly ConcurrentDictionary<Type, Func<object, DeepCloner, object>> Cloners = new();
    private static readonly Func<object, object> ShallowCopy =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.CreateDelegate<Func<object, object>>();

    private readonly bool _shareLocks = shareLocks;
    private readonly IdentityMap _copies = new();
    private readonly Dictionary<Type, Func<object, DeepCloner, object>> _cloners = [];

    /// <summary>A copy of <paramref name="root"/> sharing nothing mutable with it.</summary>
    public T Clone<T>(T root)
        where T : class
    {
        _copies.Clear();
        try
        {
            return (T)Copy(root)!;
        }
        finally
        {
            _copies.Clear();
        }
    }

    /// <summary>The copy of an object reachable from the root (called by the generated field fix-ups).</summary>
    public object? Copy(object? original)
    {
        if (original is null)
        {
            return null;
        }

        if (_copies.Find(original) is { } copy)
        {
            return copy;
        }

        var type = original.GetType();
        if (!_cloners.TryGetValue(type, out var cloner))
        {
            cloner = Cloners.GetOrAdd(type, ClonerFor);
            _cloners.Add(type, cloner);
        }

        return cloner(original, this);
    }

    private object Remember(object original, object copy)
    {
        _copies.Add(original, copy);
        return copy;
    }

    private static Func<object, DeepCloner, object> ClonerFor(Type type)
    {
        if (IsShared(type))
        {
            return (original, _) => original;
        }

        if (type == typeof(object))
        {
            return (original, cloner) => cloner._shareLocks ? original : cloner.Remember(original, new object());
        }

        if (type == typeof(Lock))
        {
            return (original, cloner) => cloner._shareLocks ? original : cloner.Remember(original, NewLock());
        }

        Refuse(type);
        if (type.IsArray)
        {
            return ArrayCloner(type.GetElementType()!);
        }

        var fixUp = FixUpFor(type);
        if (type == typeof(ModelLock) || type == typeof(RwSemaphore))
        {
            return (original, cloner) => cloner._shareLocks ? original : CopyObject(original, cloner, fixUp);
        }

        if (type == typeof(EventLog))
        {
            // A log that does not record is never written (EventLog.Record returns first), so states share it.
            return (original, cloner) => ((EventLog)original).Enabled ? CopyObject(original, cloner, fixUp) : original;
        }

        if (type == typeof(Folio))
        {
            // The zero page and the huge zero page are never counted, written or freed (every count and write path
            // skips IsZero), so all states share them: the huge zero page's 512 struct pages are most of a copy's bytes.
            return (original, cloner) => ((Folio)original).IsZero ? original : CopyObject(original, cloner, fixUp);
        }

        return (original, cloner) => CopyObject(original, cloner, fixUp);
    }

#pragma warning disable CS9216 // the lock is only stored here, and only ever locked as a Lock by the model's ModelLock
    private static object NewLock() => new Lock();
#pragma warning restore CS9216

    private static object CopyObject(object original, DeepCloner cloner, Action<object, DeepCloner>? fixUp)
    {
        var copy = cloner.Remember(original, ShallowCopy(original));
        fixUp?.Invoke(copy, cloner);
        return copy;
    }

    private static bool IsShared(Type type) =>
        type == typeof(string) || typeof(Era).IsAssignableFrom(type) || type == typeof(MachineOptions) || type == typeof(Universe)
        || typeof(Type).IsAssignableFrom(type) || type.IsPrimitive || type.IsEnum;

    private static void Refuse(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ThreadLocal<>)))
        {
            throw new NotSupportedException($"a {type} cannot be copied with a machine state");
        }

        if (type.IsGenericType && IsHashed(type.GetGenericTypeDefinition()) && !type.GetGenericArguments()[0].IsValueType)
        {
            throw new NotSupportedException($"a {type} hashes objects by identity, which copies do not keep");
        }
    }

    private static bool IsHashed(Type definition) =>
        definition == typeof(Dictionary<,>) || definition == typeof(HashSet<>) || definition == typeof(ConcurrentDictionary<,>)
        || definition == typeof(ConditionalWeakTable<,>);

    private static Func<object, DeepCloner, object> ArrayCloner(Type element)
    {
        if (element.IsPrimitive || element.IsEnum || (element.IsValueType && !HoldsReferences(element)))
        {
            return (original, cloner) => cloner.Remember(original, ((Array)original).Clone());
        }

        if (!element.IsValueType)
        {
            return (original, cloner) =>
            {
                var copy = (object?[])((Array)original).Clone();
                cloner.Remember(original, copy);
                for (var i = 0; i < copy.Length; i++)
                {
                    copy[i] = cloner.Copy(copy[i]);
                }

                return copy;
            };
        }

        var fixElements = typeof(DeepCloner).GetMethod(nameof(FixStructArray), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(element).CreateDelegate<Action<Array, DeepCloner>>();
        return (original, cloner) =>
        {
            var copy = (Array)((Array)original).Clone();
            cloner.Remember(original, copy);
            fixElements(copy, cloner);
            return copy;
        };
    }

    private static void FixStructArray<TStruct>(Array array, DeepCloner cloner)
    {
        var elements = (TStruct[])array;
        var fix = StructFixUp<TStruct>.Fix!;
        for (var i = 0; i < elements.Length; i++)
        {
            fix(ref elements[i], cloner);
        }
    }

    private delegate void RefFixUp<TStruct>(ref TStruct value, DeepCloner cloner);

    /// <summary>The generated fix-up of one struct type's reference fields, in place.</summary>
    private static class StructFixUp<TStruct>
    {
        public static readonly RefFixUp<TStruct>? Fix = BuildStructFixUp();

        private static RefFixUp<TStruct>? BuildStructFixUp()
        {
            var method = new DynamicMethod($"FixUp_{typeof(TStruct).Name}", null, [typeof(TStruct).MakeByRefType(), typeof(DeepCloner)], typeof(DeepCloner).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            EmitFieldFixUps(il, typeof(TStruct), il => il.Emit(OpCodes.Ldarg_0));
            il.Emit(OpCodes.Ret);
            return method.CreateDelegate<RefFixUp<TStruct>>();
        }
    }

    /// <summary>The generated fix-up of a class's reference fields (its own and its base classes'), or null if it has none.</summary>
    private static Action<object, DeepCloner>? FixUpFor(Type type)
    {
        if (!HoldsReferences(type))
        {
            return null;
        }

        var method = new DynamicMethod($"FixUp_{type.Name}", null, [typeof(object), typeof(DeepCloner)], typeof(DeepCloner).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var target = il.DeclareLocal(type);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, type);
        il.Emit(OpCodes.Stloc, target);
        EmitFieldFixUps(il, type, il => il.Emit(OpCodes.Ldloc, target));
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Action<object, DeepCloner>>();
    }

    /// <summary>For each reference field: target.f = (F)cloner.Copy(target.f); for each struct field holding references: fix it in place.</summary>
    private static void EmitFieldFixUps(ILGenerator il, Type type, Action<ILGenerator> loadTarget)
    {
        foreach (var field in InstanceFields(type))
        {
            var fieldType = field.FieldType;
            if (fieldType.IsPointer || fieldType == typeof(IntPtr) || fieldType == typeof(UIntPtr))
            {
                throw new NotSupportedException($"{type}.{field.Name} is a pointer, which cannot be copied with a machine state");
            }

            if (!fieldType.IsValueType)
            {
                loadTarget(il);
                loadTarget(il);
                il.Emit(OpCodes.Ldfld, field);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Call, typeof(DeepCloner).GetMethod(nameof(CopyField), BindingFlags.Static | BindingFlags.NonPublic)!);
                il.Emit(OpCodes.Castclass, fieldType);
                il.Emit(OpCodes.Stfld, field);
            }
            else if (HoldsReferences(fieldType))
            {
                var fixUp = typeof(StructFixUp<>).MakeGenericType(fieldType).GetField(nameof(StructFixUp<int>.Fix))!;
                il.Emit(OpCodes.Ldsfld, fixUp);
                loadTarget(il);
                il.Emit(OpCodes.Ldflda, field);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Callvirt, fixUp.FieldType.GetMethod("Invoke")!);
            }
        }
    }

    private static object? CopyField(object? original, DeepCloner cloner) => cloner.Copy(original);

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    private static bool HoldsReferences(Type type) =>
        !type.IsPrimitive && !type.IsEnum && (!type.IsValueType || InstanceFields(type).Any(f => !f.FieldType.IsValueType || HoldsReferences(f.FieldType)));
}
