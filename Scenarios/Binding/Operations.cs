using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Binding;

/// <summary>
/// One verb of the language: its signature (for messages), how its arguments bind, what kind of value it produces
/// (null: none), and whether that value must be assigned.
/// </summary>
internal sealed record Operation(string Signature, Func<ArgumentReader, Binder, BoundStatement> Bind, Func<BoundStatement, ScenarioType>? Produces, bool TargetRequired = false)
{
    public bool IsQuery { get; init; }
}

/// <summary>
/// The verb table: each entry names its arguments in the order the file gives them. Unknown verbs, missing or extra
/// arguments and unknown keywords are syntax errors; operands of the wrong kind or out of range are errors.
/// </summary>
internal static class Operations
{
    private static readonly Dictionary<string, Operation> Verbs = Build();

    /// <summary>The verbs an <c>expect</c> side may call.</summary>
    public static IEnumerable<string> QueryVerbs => Verbs.Where(v => v.Value.IsQuery).Select(v => v.Key);

    /// <summary><c>NAME = VALUE</c> where VALUE is not an operation is a plain variable binding.</summary>
    public static bool IsVerb(string word) => word == "try" || Verbs.ContainsKey(word);

    public static bool IsQuery(string word) => Verbs.TryGetValue(word, out var operation) && operation.IsQuery;

    public static Operation Find(Token verb) => Verbs.TryGetValue(verb.Text, out var operation)
        ? operation
        : throw new ScenarioSyntaxException(verb.Location, $"unknown operation '{verb.Text}'{Suggest(verb.Text)}");

    private static string Suggest(string verb)
    {
        var close = Verbs.Keys.Where(k => k.Contains(verb, StringComparison.Ordinal) || verb.Contains(k, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return close.Count > 0 ? $" (did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?)" : string.Empty;
    }

    private static Dictionary<string, Operation> Build()
    {
        static ScenarioType Produces(ScenarioType type, BoundStatement _) => type;
        Func<BoundStatement, ScenarioType> process = s => Produces(ScenarioType.Process, s);
        Func<BoundStatement, ScenarioType> address = s => Produces(ScenarioType.Address, s);
        Func<BoundStatement, ScenarioType> file = s => Produces(ScenarioType.File, s);
        Func<BoundStatement, ScenarioType> query = s => ((BoundQuery)s).ResultType;

        var verbs = new Dictionary<string, Operation>(StringComparer.Ordinal)
        {
            ["process"] = new("[\"display name\"]", (r, b) => new BoundProcess(r.OptionalValue() is { } name ? b.Label(name, "the display name as a quoted string") : null, r.Command.Location, "process"), process, TargetRequired: true),
            ["fork"] = new("PARENT", (r, b) => new BoundFork(b.Process(r.Value("the parent process")), r.Command.Location, "fork"), process, TargetRequired: true),
            ["exit"] = new("PROCESS", (r, b) => new BoundExit(b.Process(r.Value("the process")), r.Command.Location, "exit"), null),
            ["mmap"] = new("PROCESS LENGTH [prot=rw|r|none] [shared] [file=F] [hugetlb=SIZE] [align=SIZE]", BindMmap, address, TargetRequired: true),
            ["memfd"] = new("LENGTH [hugetlb=SIZE]", (r, b) => new BoundCreateFile(FileKind.Memfd, b.Number(r.Value("the file length")), r.Option("hugetlb") is { } huge ? b.HugetlbSize(huge) : null, r.Command.Location, "memfd"), file, TargetRequired: true),
            ["tmpfile"] = new("LENGTH", (r, b) => new BoundCreateFile(FileKind.Tmpfile, b.Number(r.Value("the file length")), null, r.Command.Location, "tmpfile"), file, TargetRequired: true),
            ["munmap"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundMunmap(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "munmap"), null),
            ["mprotect"] = new("PROCESS ADDRESS LENGTH rw|r|none", (r, b) => new BoundMprotect(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Keyword("the protection", KeywordTables.Protections), r.Command.Location, "mprotect"), null),
            ["madvise"] = new("PROCESS ADDRESS LENGTH ADVICE", (r, b) => new BoundMadvise(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Keyword("the advice", KeywordTables.Advices), r.Command.Location, "madvise"), null),
            ["mremap"] = new("PROCESS ADDRESS OLD_LENGTH NEW_LENGTH [to=ADDRESS]", (r, b) => new BoundMremap(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the old length")), b.Number(r.Value("the new length")), r.Option("to") is { } to ? b.Number(to) : null, r.Command.Location, "mremap"), address),
            ["fill"] = new("PROCESS ADDRESS LENGTH BYTE", (r, b) => new BoundFill(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), b.Byte(r.Value("the byte value")), r.Command.Location, "fill"), null),
            ["write"] = new("PROCESS ADDRESS BYTE", (r, b) => new BoundFill(b.Process(r.Value("the process")), b.Number(r.Value("the address")), new BoundNumber(1, "1", r.Command.Location), b.Byte(r.Value("the byte value")), r.Command.Location, "write"), null),
            ["read"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundRead(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "read"), query) { IsQuery = true },
            ["swap_out"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundSwap(true, b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "swap_out"), null),
            ["swap_in"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundSwap(false, b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "swap_in"), null),
            ["ksm_merge"] = new("no arguments", (r, _) => new BoundKsmMerge(r.Command.Location, "ksm_merge"), null),
            ["clear_refs"] = new("PROCESS", (r, b) => new BoundClearRefs(b.Process(r.Value("the process")), r.Command.Location, "clear_refs"), null),
            ["uffd_wp"] = new("PROCESS ADDRESS LENGTH on|off", (r, b) => new BoundUffdWriteProtect(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Keyword("on or off", KeywordTables.OnOff), r.Command.Location, "uffd_wp"), null),
            ["put_pages"] = new("HANDLE", (r, b) => new BoundRelease(b.Bind(r.Value("the handle"), Requirement.PageReferences), false, false, r.Command.Location, "put_pages"), null),
            ["unpin_user_pages"] = new("HANDLE [dirty]", (r, b) => new BoundRelease(b.Bind(r.Value("the handle"), Requirement.Pins), true, r.Flag("dirty"), r.Command.Location, "unpin_user_pages"), null),
            ["device_read"] = new("HANDLE", (r, b) => new BoundDeviceRead(b.Bind(r.Value("the handle"), Requirement.DeviceHandle), r.Command.Location, "device_read"), query) { IsQuery = true },
            ["device_write"] = new("HANDLE BYTE", (r, b) => new BoundDeviceWrite(b.Bind(r.Value("the handle"), Requirement.DeviceHandle), b.Byte(r.Value("the byte value")), r.Command.Location, "device_write"), null),
            ["vmsplice"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundVmsplice(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "vmsplice"), s => Produces(ScenarioType.Pipe, s), TargetRequired: true),
            ["pipe_read"] = new("PIPE", (r, b) => new BoundPipeRead(b.Bind(r.Value("the pipe"), Requirement.Pipe), r.Command.Location, "pipe_read"), query) { IsQuery = true },
            ["io_uring_register"] = new("PROCESS ADDRESS LENGTH", (r, b) => new BoundIoUringRegister(b.Process(r.Value("the process")), b.Number(r.Value("the address")), b.Number(r.Value("the length")), r.Command.Location, "io_uring_register"), s => Produces(ScenarioType.RegisteredBuffer, s), TargetRequired: true),
            ["io_uring_write_fixed"] = new("BUFFER FILE", (r, b) => new BoundIoUringWriteFixed(b.Bind(r.Value("the registered buffer"), Requirement.RegisteredBuffer), b.Bind(r.Value("the file"), Requirement.File), r.Command.Location, "io_uring_write_fixed"), null),
            ["io_uring_unregister"] = new("BUFFER", (r, b) => new BoundIoUringUnregister(b.Bind(r.Value("the registered buffer"), Requirement.RegisteredBuffer), r.Command.Location, "io_uring_unregister"), null),
            ["pages_taken"] = new("HANDLE", (r, b) => new BoundPagesTaken(b.Bind(r.Value("the handle"), Requirement.DeviceHandle), r.Command.Location, "pages_taken"), query) { IsQuery = true },
            ["file_read"] = new("FILE LENGTH", (r, b) => new BoundFileRead(b.Bind(r.Value("the file"), Requirement.File), b.Number(r.Value("the length")), r.Command.Location, "file_read"), query) { IsQuery = true },
            ["snapshot"] = new("\"label\"", (r, b) => new BoundSnapshot(b.Label(r.Value("a label string"), "a label string"), r.Command.Location, "snapshot"), null),
            ["setup"] = new("[BACKING]", (r, _) => throw new ScenarioSyntaxException(r.Command.Location, "'setup' may appear only once, at the top level of a scenario that runs over backings"), null),
            ["thp_enabled"] = new("SIZE always|madvise|never", (r, b) => new BoundThpEnabled(b.Number(r.Value("the THP size")), r.Keyword("the THP mode", KeywordTables.ThpModes), r.Command.Location, "thp_enabled"), null),
            ["nr_hugepages"] = new("SIZE COUNT", BindHugetlbPool, null),
        };

        foreach (var (name, entryPoint) in KeywordTables.GupEntryPoints)
        {
            verbs[name] = new("PROCESS ADDRESS NR_PAGES [FLAGS] [partial]", (r, b) => BindGup(r, b, entryPoint, name), s => ((BoundGup)s).IsPin ? ScenarioType.PagePins : ScenarioType.PageReferences, TargetRequired: true);
        }

        foreach (var (name, fact) in KeywordTables.PageFacts)
        {
            verbs[name] = new("PROCESS ADDRESS", (r, b) => new BoundPageFact(fact, b.Process(r.Value("the process")), b.Number(r.Value("the address")), r.Command.Location, name), query) { IsQuery = true };
        }

        return verbs;
    }

    private static BoundMmap BindMmap(ArgumentReader r, Binder b)
    {
        var process = b.Process(r.Value("the process"));
        var length = b.Number(r.Value("the length"));
        var protection = r.Option("prot") is { } prot ? ArgumentReader.ReadKeyword(prot, "the protection", KeywordTables.Protections) : Protection.ReadWrite;
        var file = r.Option("file") is { } f ? b.Bind(f, Requirement.File) : null;
        var huge = r.Option("hugetlb") is { } h ? b.HugetlbSize(h) : null;
        var align = r.Option("align") is { } a ? b.Alignment(a) : null;
        return new BoundMmap(process, length, protection, r.Flag("shared"), file, huge, align, r.Command.Location, "mmap");
    }

    private static BoundGup BindGup(ArgumentReader r, Binder b, GupEntryPoint entryPoint, string verb)
    {
        var process = b.Process(r.Value("the process"));
        var address = b.Number(r.Value("the address"));
        var pages = b.PageCount(r.Value("the number of pages"));
        var partial = r.Flag("partial");
        var flags = ReadFlags(r);
        var pageSize = new BoundNumber(Binder.PageSize, Binder.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Command.Location);
        var length = new BoundArithmetic(pages, ArithmeticOperator.Multiply, pageSize, ScenarioType.Number, pages.Constant * Binder.PageSize, pages.Location);
        return new BoundGup(entryPoint, process, address, pages, length, flags, partial, r.Command.Location, verb);
    }

    private static FollFlags ReadFlags(ArgumentReader r)
    {
        var expression = r.OptionalValue();
        if (expression is null)
        {
            return FollFlags.None;
        }

        var words = expression is FlagUnionSyntax union
            ? union.Flags
            : [expression as NameSyntax ?? throw new ScenarioSyntaxException(expression.Location, $"expected FOLL flags ({string.Join(", ", KeywordTables.FollFlagNames.Keys)}), found {expression.Describe()}")];
        var flags = FollFlags.None;
        foreach (var word in words)
        {
            flags |= ArgumentReader.ReadKeyword(word, "a FOLL flag", KeywordTables.FollFlagNames);
        }

        if (flags.HasFlag(FollFlags.Write) && flags.HasFlag(FollFlags.BreakCow))
        {
            throw new ScenarioSyntaxException(expression.Location, "break_cow cannot be combined with write (FAULT_FLAG_UNSHARE is never a write fault)");
        }

        return flags;
    }

    /// <summary>The machine boots with its hugetlb pools, so both arguments must be known before the run.</summary>
    private static BoundHugetlbPool BindHugetlbPool(ArgumentReader r, Binder b)
    {
        const string why = "nr_hugepages needs constant arguments (the machine boots with its pools)";
        var size = b.HugetlbSize(r.Value("the huge page size"));
        var count = b.Number(r.Value("the number of huge pages"));
        return new BoundHugetlbPool(size, count, b.RequireConstant(size, why) ?? 0, b.RequireConstant(count, why) ?? 0, r.Command.Location, "nr_hugepages");
    }
}
