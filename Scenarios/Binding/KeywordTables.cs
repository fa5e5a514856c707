using CowGuard.Scenarios.Bound;
using CowGuard.VmModel;
using Advice = CowGuard.Scenarios.Bound.Advice;

namespace CowGuard.Scenarios.Binding;

/// <summary>The words scenario files use for kernel constants (PROT_*, MADV_*, FOLL_*), spelled the kernel's way in lower case.</summary>
internal static class KeywordTables
{
    public static readonly IReadOnlyDictionary<string, Protection> Protections = new Dictionary<string, Protection>
    {
        ["none"] = Protection.None,
        ["r"] = Protection.Read,
        ["rw"] = Protection.ReadWrite,
    };

    public static readonly IReadOnlyDictionary<string, Advice> Advices = new Dictionary<string, Advice>
    {
        ["dontneed"] = Advice.DontNeed,
        ["dontfork"] = Advice.DontFork,
        ["dofork"] = Advice.DoFork,
        ["wipeonfork"] = Advice.WipeOnFork,
        ["keeponfork"] = Advice.KeepOnFork,
        ["pageout"] = Advice.PageOut,
        ["hugepage"] = Advice.HugePage,
        ["nohugepage"] = Advice.NoHugePage,
        ["collapse"] = Advice.Collapse,
        ["mergeable"] = Advice.Mergeable,
        ["unmergeable"] = Advice.Unmergeable,
    };

    public static readonly IReadOnlyDictionary<string, FollFlags> FollFlagNames = new Dictionary<string, FollFlags>
    {
        ["none"] = FollFlags.None,
        ["write"] = FollFlags.Write,
        ["dump"] = FollFlags.Dump,
        ["force"] = FollFlags.Force,
        ["nofault"] = FollFlags.NoFault,
        ["anon"] = FollFlags.Anon,
        ["longterm"] = FollFlags.Longterm,
        ["break_cow"] = FollFlags.BreakCow,
    };

    public static readonly IReadOnlyDictionary<string, ThpSetting> ThpModes = new Dictionary<string, ThpSetting>
    {
        ["always"] = ThpSetting.Always,
        ["madvise"] = ThpSetting.Madvise,
        ["never"] = ThpSetting.Never,
    };

    public static readonly IReadOnlyDictionary<string, bool> OnOff = new Dictionary<string, bool>
    {
        ["on"] = true,
        ["off"] = false,
    };

    public static readonly IReadOnlyDictionary<string, GupEntryPoint> GupEntryPoints = new Dictionary<string, GupEntryPoint>
    {
        ["get_user_pages"] = GupEntryPoint.GetUserPages,
        ["get_user_pages_fast"] = GupEntryPoint.GetUserPagesFast,
        ["get_user_pages_remote"] = GupEntryPoint.GetUserPagesRemote,
        ["pin_user_pages"] = GupEntryPoint.PinUserPages,
        ["pin_user_pages_fast"] = GupEntryPoint.PinUserPagesFast,
        ["pin_user_pages_remote"] = GupEntryPoint.PinUserPagesRemote,
    };

    public static readonly IReadOnlyDictionary<string, PageFactKind> PageFacts = new Dictionary<string, PageFactKind>
    {
        ["refcount"] = PageFactKind.RefCount,
        ["mapcount"] = PageFactKind.MapCount,
        ["pincount"] = PageFactKind.PinCount,
        ["exclusive"] = PageFactKind.AnonExclusive,
        ["writable"] = PageFactKind.Writable,
        ["present"] = PageFactKind.Present,
        ["swapped"] = PageFactKind.Swapped,
        ["pfn"] = PageFactKind.Pfn,
    };
}
