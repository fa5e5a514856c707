using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Binding;

/// <summary>
/// Turns a command line into a typed statement: one entry per verb, each naming its arguments in the order the
/// file gives them. Unknown verbs, missing or extra arguments and unknown keywords are syntax errors with a location.
/// </summary>
internal static class Binder
{
    private delegate Statement Reader(CommandReader r);

    private sealed record Verb(string Signature, Reader Read);

    private static readonly Dictionary<string, Verb> Verbs = BuildVerbs();

    public static IEnumerable<string> VerbNames => Verbs.Keys;

    public static Statement Bind(CommandSyntax command)
    {
        if (command.Verb.Text == "try")
        {
            return BindTry(command);
        }

        if (!Verbs.TryGetValue(command.Verb.Text, out var verb))
        {
            throw new ScenarioSyntaxException(command.Verb.Location, $"unknown operation '{command.Verb.Text}'{Suggest(command.Verb.Text)}");
        }

        var reader = new CommandReader(command, verb.Signature);
        var statement = verb.Read(reader);
        reader.Done();
        return statement with { Verb = command.Verb.Text };
    }

    /// <summary>Binds one side of an <c>expect</c> written as an operation call: it must be a query.</summary>
    public static QueryStatement BindQuery(CommandSyntax command)
    {
        if (command.Target is { } target)
        {
            throw new ScenarioSyntaxException(target.Location, "expected a value or a query in an 'expect', found an assignment");
        }

        return Bind(command) as QueryStatement
            ?? throw new ScenarioSyntaxException(command.Verb.Location, $"'{command.Verb.Text}' is not a query: an 'expect' side must be a value or one of read, pipe_read, device_read, file_read, {string.Join(", ", Keywords.PageFacts.Keys)}");
    }

    private static string Suggest(string verb)
    {
        var close = Verbs.Keys.Where(k => k.Contains(verb, StringComparison.Ordinal) || verb.Contains(k, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return close.Count > 0 ? $" (did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?)" : string.Empty;
    }

    private static Dictionary<string, Verb> BuildVerbs()
    {
        var verbs = new Dictionary<string, Verb>(StringComparer.Ordinal)
        {
            ["process"] = new("[\"display name\"]", r => new ProcessStatement((r.OptionalValue() as StringExpr)?.Value, r.Location) { Target = r.RequiredTarget() }),
            ["fork"] = new("PARENT", r => new ForkStatement(r.Value("the parent process"), r.Location) { Target = r.RequiredTarget() }),
            ["exit"] = new("PROCESS", r => NoValue(r, new ExitStatement(r.Value("the process"), r.Location))),
            ["mmap"] = new("PROCESS LENGTH [prot=rw|r|none] [shared] [file=F] [hugetlb=SIZE] [align=SIZE]", ReadMmap),
            ["memfd"] = new("LENGTH [hugetlb=SIZE]", r => new FileStatement(FileKind.Memfd, r.Value("the file length"), r.Option("hugetlb"), r.Location) { Target = r.RequiredTarget() }),
            ["tmpfile"] = new("LENGTH", r => new FileStatement(FileKind.Tmpfile, r.Value("the file length"), null, r.Location) { Target = r.RequiredTarget() }),
            ["munmap"] = new("PROCESS ADDRESS LENGTH", r => NoValue(r, new MunmapStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location))),
            ["mprotect"] = new("PROCESS ADDRESS LENGTH rw|r|none", r => NoValue(r, new MprotectStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Keyword("the protection", Keywords.Protections), r.Location))),
            ["madvise"] = new("PROCESS ADDRESS LENGTH ADVICE", r => NoValue(r, new MadviseStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Keyword("the advice", Keywords.Advices), r.Location))),
            ["mremap"] = new("PROCESS ADDRESS OLD_LENGTH NEW_LENGTH [to=ADDRESS]", r => new MremapStatement(r.Value("the process"), r.Value("the address"), r.Value("the old length"), r.Value("the new length"), r.Option("to"), r.Location) { Target = r.OptionalTarget() }),
            ["fill"] = new("PROCESS ADDRESS LENGTH BYTE", r => NoValue(r, new FillStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Value("the byte value"), r.Location))),
            ["write"] = new("PROCESS ADDRESS BYTE", r => NoValue(r, new FillStatement(r.Value("the process"), r.Value("the address"), new NumberExpr(1, "1", r.Location), r.Value("the byte value"), r.Location))),
            ["read"] = new("PROCESS ADDRESS LENGTH", r => new ReadStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location) { Target = r.OptionalTarget() }),
            ["swap_out"] = new("PROCESS ADDRESS LENGTH", r => NoValue(r, new SwapStatement(true, r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location))),
            ["swap_in"] = new("PROCESS ADDRESS LENGTH", r => NoValue(r, new SwapStatement(false, r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location))),
            ["ksm_merge"] = new("no arguments", r => NoValue(r, new KsmMergeStatement(r.Location))),
            ["clear_refs"] = new("PROCESS", r => NoValue(r, new ClearRefsStatement(r.Value("the process"), r.Location))),
            ["uffd_wp"] = new("PROCESS ADDRESS LENGTH on|off", r => NoValue(r, new UffdWriteProtectStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Keyword("on or off", Keywords.OnOff), r.Location))),
            ["put_pages"] = new("HANDLE", r => NoValue(r, new ReleaseStatement(r.Value("the handle"), false, false, r.Location))),
            ["unpin_user_pages"] = new("HANDLE [dirty]", r => NoValue(r, new ReleaseStatement(r.Value("the handle"), true, r.Flag("dirty"), r.Location))),
            ["device_read"] = new("HANDLE", r => new DeviceReadStatement(r.Value("the handle"), r.Location) { Target = r.OptionalTarget() }),
            ["device_write"] = new("HANDLE BYTE", r => NoValue(r, new DeviceWriteStatement(r.Value("the handle"), r.Value("the byte value"), r.Location))),
            ["vmsplice"] = new("PROCESS ADDRESS LENGTH", r => new VmspliceStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location) { Target = r.RequiredTarget() }),
            ["pipe_read"] = new("PIPE", r => new PipeReadStatement(r.Value("the pipe"), r.Location) { Target = r.OptionalTarget() }),
            ["io_uring_register"] = new("PROCESS ADDRESS LENGTH", r => new IoUringRegisterStatement(r.Value("the process"), r.Value("the address"), r.Value("the length"), r.Location) { Target = r.RequiredTarget() }),
            ["io_uring_write_fixed"] = new("BUFFER FILE", r => NoValue(r, new IoUringWriteFixedStatement(r.Value("the registered buffer"), r.Value("the file"), r.Location))),
            ["io_uring_unregister"] = new("BUFFER", r => NoValue(r, new IoUringUnregisterStatement(r.Value("the registered buffer"), r.Location))),
            ["file_read"] = new("FILE LENGTH", r => new FileReadStatement(r.Value("the file"), r.Value("the length"), r.Location) { Target = r.OptionalTarget() }),
            ["snapshot"] = new("\"label\"", r => NoValue(r, new SnapshotStatement(ReadLabel(r), r.Location))),
            ["setup"] = new("[BACKING]", r => NoValue(r, new SetupStatement(r.OptionalValue() is { } name ? AsName(name) : null, r.Location))),
            ["thp_enabled"] = new("SIZE always|madvise|never", r => NoValue(r, new ThpEnabledStatement(r.Value("the THP size"), r.Keyword("the THP mode", Keywords.ThpModes), r.Location))),
            ["nr_hugepages"] = new("SIZE COUNT", r => NoValue(r, new HugetlbPoolStatement(r.Value("the huge page size"), r.Value("the number of huge pages"), r.Location))),
        };

        foreach (var (name, entryPoint) in Keywords.GupEntryPoints)
        {
            verbs[name] = new("PROCESS ADDRESS NR_PAGES [FLAGS]", r => new GupStatement(
                entryPoint, r.Value("the process"), r.Value("the address"), r.Value("the number of pages"), ReadFlags(r), r.Location) { Target = r.RequiredTarget() });
        }

        foreach (var (name, fact) in Keywords.PageFacts)
        {
            verbs[name] = new("PROCESS ADDRESS", r => new PageFactStatement(fact, r.Value("the process"), r.Value("the address"), r.Location) { Target = r.OptionalTarget() });
        }

        return verbs;
    }

    private static Statement ReadMmap(CommandReader r)
    {
        var target = r.RequiredTarget();
        var process = r.Value("the process");
        var length = r.Value("the length");
        var protection = r.Option("prot") is { } prot ? CommandReader.ReadKeyword(prot, "the protection", Keywords.Protections) : Protection.ReadWrite;
        return new MmapStatement(process, length, protection, r.Flag("shared"), r.Option("file"), r.Option("hugetlb"), r.Option("align"), r.Location) { Target = target };
    }

    private static FollFlags ReadFlags(CommandReader r)
    {
        var expr = r.OptionalValue();
        if (expr is null)
        {
            return FollFlags.None;
        }

        var words = expr is FlagUnionExpr union ? union.Flags : [expr as VariableExpr ?? throw new ScenarioSyntaxException(expr.Location, $"expected FOLL flags ({string.Join(", ", Keywords.FollFlagNames.Keys)}), found {CommandReader.Describe(expr)}")];
        var flags = FollFlags.None;
        foreach (var word in words)
        {
            flags |= CommandReader.ReadKeyword(word, "a FOLL flag", Keywords.FollFlagNames);
        }

        if (flags.HasFlag(FollFlags.Write) && flags.HasFlag(FollFlags.BreakCow))
        {
            throw new ScenarioSyntaxException(expr.Location, "break_cow cannot be combined with write (FAULT_FLAG_UNSHARE is never a write fault)");
        }

        return flags;
    }

    private static string ReadLabel(CommandReader r)
    {
        var value = r.Value("a label string");
        return value is StringExpr label ? label.Value : throw new ScenarioSyntaxException(value.Location, $"expected a label string, found {CommandReader.Describe(value)}");
    }

    /// <summary>
    /// <c>r = try VERB ARGS</c>: the inner operation is bound as if it had its own target (its value is dropped);
    /// the try statement's value is the outcome.
    /// </summary>
    private static TryStatement BindTry(CommandSyntax command)
    {
        if (command.Arguments.Count == 0 || command.Arguments[0] is not { Name: null, Value: VariableExpr verb })
        {
            var where = command.Arguments.Count == 0 ? command.Verb.Location : command.Arguments[0].Value.Location;
            throw new ScenarioSyntaxException(where, "expected an operation after 'try'");
        }

        var verbToken = new Token(TokenKind.Identifier, verb.Name, verb.Location);
        if (verb.Name == "try")
        {
            throw new ScenarioSyntaxException(verb.Location, "'try try' is not allowed: give one operation");
        }

        var inner = Bind(new CommandSyntax(null, verbToken, command.Arguments.Skip(1).ToList()) { DiscardsValue = true });
        return new TryStatement(inner with { Target = null }, command.Verb.Location) { Target = command.Target?.Text, Verb = "try" };
    }

    private static NameReference AsName(Expr expr) => expr is VariableExpr name
        ? new NameReference(name.Name, name.Location)
        : throw new ScenarioSyntaxException(expr.Location, $"expected a backing name, found {CommandReader.Describe(expr)}");

    /// <summary><c>NAME = VALUE</c> where VALUE is not an operation: a plain variable binding.</summary>
    public static bool IsVerb(string word) => word == "try" || Verbs.ContainsKey(word);

    private static Statement NoValue(CommandReader r, Statement statement)
    {
        r.NoTarget();
        return statement;
    }
}
