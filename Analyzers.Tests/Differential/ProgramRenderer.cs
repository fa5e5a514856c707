using System.Text;

namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>Where a generated call site leads and what covers it, for the oracle.</summary>
/// <param name="Via">The conversion or type a call through a delegate or interface passes ("conv:N", "type:N"), whose
/// diagnostic (CG0005, or CG0004 on the type) counts for every call made that way.</param>
/// <param name="Justified">The site lies in a function under [WrongSideCowOk].</param>
public sealed record SiteInfo(int Id, string Shape, string? Via, bool Justified);

/// <summary>A rendered program: its source, its call sites, the conversions that are justified, and the shapes used.</summary>
public sealed record RenderedProgram(
    string Source, IReadOnlyDictionary<int, SiteInfo> Sites, IReadOnlySet<string> JustifiedConversions, IReadOnlyDictionary<string, int> Shapes);

/// <summary>
/// Turns a <see cref="ProgramSpec"/> into C#: one namespace per program with the forwarding functions (static methods,
/// local functions and lambdas of Run, overrides, interface implementations) and Run itself. Every call site passes
/// its id as the named argument <c>site:</c>, so a diagnostic is mapped back to its site through the syntax tree;
/// delegates are named <c>conv&lt;N&gt;</c> and classes <c>C&lt;N&gt;</c> for the same reason.
/// </summary>
public sealed class ProgramRenderer
{
    private static readonly string[] Constants =
    [
        "FollFlags.None", "FollFlags.Write", "FollFlags.BreakCow", "FollFlags.Force", "FollFlags.Dump", "FollFlags.Anon",
        "FollFlags.Force | FollFlags.Anon", "FollFlags.Write | FollFlags.Force", "FollFlags.BreakCow | FollFlags.Dump", "FollFlags.NoFault",
    ];

    private static readonly string[] Masks = ["FollFlags.Write", "FollFlags.BreakCow", "FollFlags.Force", "FollFlags.Write | FollFlags.BreakCow"];

    private static readonly string[] GupEntries = ["GetUserPages", "GetUserPagesFast", "GetUserPagesRemote", "PinUserPages", "PinUserPagesFast", "FollowPage"];

    private readonly ProgramSpec _spec;
    private readonly StringBuilder _types = new();
    private readonly StringBuilder _statics = new();
    private readonly Dictionary<int, SiteInfo> _sites = [];
    private readonly HashSet<string> _justifiedConversions = [];
    private readonly Dictionary<string, int> _shapes = [];
    private int _nextName;
    private int _nextSite = 1;

    private ProgramRenderer(ProgramSpec spec) => _spec = spec;

    private FunctionKind KindOf(int function) => (FunctionKind)(_spec.Functions[function].Kind % Enum.GetValues<FunctionKind>().Length);

    public static RenderedProgram Render(ProgramSpec spec, int index) => new ProgramRenderer(spec).RenderProgram(index);

    private RenderedProgram RenderProgram(int index)
    {
        var run = new StringBuilder();
        for (var function = 0; function < _spec.Functions.Length; function++)
        {
            RenderFunction(function, run);
        }

        var main = new Context(this, Function: -1, Justified: false, Scope: [], CanThrow: false);
        RenderBlock(_spec.Main, main, run, "        ");

        var source = new StringBuilder();
        source.Append("using System;\nusing CowGuard.VmModel;\nusing CowGuard.Analyzers.Tests.Differential;\n\n");
        source.Append($"namespace P{index};\n\n");
        source.Append(_types);
        source.Append("static class Program\n{\n");
        source.Append(_statics);
        source.Append("    public static void Run()\n    {\n");
        source.Append(run);
        source.Append("    }\n}\n");
        return new RenderedProgram(source.ToString(), _sites, _justifiedConversions, _shapes);
    }

    private void Count(string shape) => _shapes[shape] = _shapes.GetValueOrDefault(shape) + 1;

    private string Name(string prefix) => $"{prefix}{_nextName++}";

    private const string Justification = "[WrongSideCowOk(\"Generated: references taken here are declared harmless\")]";

    private void RenderFunction(int function, StringBuilder run)
    {
        var spec = _spec.Functions[function];
        var kind = KindOf(function);
        Count($"function:{kind}");
        if (spec.Justified)
        {
            Count("function:justified");
        }

        var attribute = spec.Justified ? Justification + " " : string.Empty;
        var body = new StringBuilder();
        var context = new Context(this, function, spec.Justified, ["flags"], CanThrow: false);
        body.Append("Recorder.Enter(site);\n");
        RenderBlock(spec.Body, context, body, "            ");
        body.Append("            ");
        RenderCall(spec.Target, spec.Forwarded, context, body);
        body.Append("            Recorder.Exit();\n");
        var block = $"{{\n            {body}        }}";
        const string contract = "int site, [GupFlags] FollFlags flags";
        const string plain = "int site, FollFlags flags";
        switch (kind)
        {
            case FunctionKind.StaticWrapper or FunctionKind.MethodGroup:
                _statics.Append($"    {attribute}internal static void W{function}({contract})\n    {block}\n\n");
                if (kind == FunctionKind.MethodGroup)
                {
                    run.Append($"        Forward conv{function} = W{function};\n");
                }

                break;
            case FunctionKind.PlainParameter:
                _statics.Append($"    {attribute}internal static void W{function}({plain})\n    {block}\n\n");
                break;
            case FunctionKind.LocalFunction:
                run.Append($"        {attribute}void L{function}({contract})\n        {Indent(block)}\n");
                break;
            case FunctionKind.Lambda:
                run.Append($"        Forward conv{function} = {attribute}({contract}) =>\n        {Indent(block)};\n");
                if (spec.Justified)
                {
                    _justifiedConversions.Add($"conv:{function}");
                }

                break;
            case FunctionKind.OverrideInheritingContract or FunctionKind.OverrideAddingContract:
                var inheriting = kind == FunctionKind.OverrideInheritingContract;
                _types.Append($"abstract class B{function}\n{{\n    public abstract void Take({(inheriting ? contract : plain)});\n}}\n\n");
                _types.Append($"sealed class C{function} : B{function}\n{{\n    {attribute}public override void Take({(inheriting ? plain : contract)})\n    {block}\n}}\n\n");
                break;
            case FunctionKind.InterfaceInheritingContract or FunctionKind.InterfaceAddingContract:
                var stated = kind == FunctionKind.InterfaceInheritingContract;
                _types.Append($"interface I{function}\n{{\n    void Take({(stated ? contract : plain)});\n}}\n\n");
                _types.Append($"sealed class C{function} : I{function}\n{{\n    {attribute}public void Take({(stated ? plain : contract)})\n    {block}\n}}\n\n");
                break;
            case FunctionKind.InheritedImplementation:
                _types.Append($"interface I{function}\n{{\n    void Take({plain});\n}}\n\n");
                _types.Append($"class B{function}\n{{\n    {attribute}public void Take({contract})\n    {block}\n}}\n\n");
                _types.Append($"sealed class C{function} : B{function}, I{function}\n{{\n}}\n\n");
                break;
        }
    }

    private static string Indent(string text) => text.Replace("\n", "\n    ", StringComparison.Ordinal);

    private void RenderBlock(IEnumerable<StatementSpec> statements, Context context, StringBuilder output, string indent)
    {
        var scope = new List<string>(context.Scope);
        foreach (var statement in statements)
        {
            RenderStatement(statement, context with { Scope = scope }, output, indent, scope);
        }
    }

    /// <summary>Renders one statement; a declaration adds its variable to <paramref name="scope"/>.</summary>
    private void RenderStatement(StatementSpec statement, Context context, StringBuilder output, string indent, List<string> scope)
    {
        var kind = (StatementKind)(statement.Kind % Enum.GetValues<StatementKind>().Length);
        var variable = scope.Count == 0 ? null : scope[statement.Pick % scope.Count];
        if (variable is null && kind is StatementKind.Assign or StatementKind.CompoundOr or StatementKind.CompoundAndNot or
            StatementKind.CompoundXor or StatementKind.RefLocalWrite or StatementKind.RefArgument or StatementKind.OutArgument or
            StatementKind.InArgument or StatementKind.LambdaWrite or StatementKind.LocalFunctionWrite or
            StatementKind.IncrementOrDecrement or StatementKind.Deconstruction)
        {
            kind = StatementKind.Declare;
        }

        if (kind == StatementKind.ThrowIf && !context.CanThrow)
        {
            kind = StatementKind.Call;
        }

        Count($"statement:{kind}");
        var value = Expression(statement.Value, context);
        output.Append(indent);
        switch (kind)
        {
            case StatementKind.Declare:
                var declared = Name("v");
                output.Append($"var {declared} = {value};\n");
                scope.Add(declared);
                break;
            case StatementKind.Assign:
                output.Append($"{variable} = {value};\n");
                break;
            case StatementKind.CompoundOr:
                output.Append($"{variable} |= {value};\n");
                break;
            case StatementKind.CompoundAndNot:
                output.Append($"{variable} &= ~({value});\n");
                break;
            case StatementKind.CompoundXor:
                output.Append($"{variable} ^= {Masks[statement.Pick % Masks.Length]};\n");
                break;
            case StatementKind.IfElse:
                output.Append($"if (Recorder.Bit({statement.Pick}))\n{indent}{{\n");
                RenderBlock(statement.Then, context, output, indent + "    ");
                output.Append($"{indent}}}\n{indent}else\n{indent}{{\n");
                RenderBlock(statement.Else, context, output, indent + "    ");
                output.Append($"{indent}}}\n");
                break;
            case StatementKind.Loop:
                var counter = Name("i");
                output.Append($"for (var {counter} = 0; {counter} < 2; {counter}++)\n{indent}{{\n");
                RenderBlock(statement.Then, context, output, indent + "    ");
                output.Append($"{indent}}}\n");
                break;
            case StatementKind.TryCatch:
                // The try block always may throw halfway, so the writes after the throw can be skipped at run time.
                var half = statement.Then.Length / 2;
                output.Append($"try\n{indent}{{\n");
                RenderBlock(statement.Then[..half], context with { CanThrow = true }, output, indent + "    ");
                Count($"statement:{StatementKind.ThrowIf}");
                output.Append($"{indent}    if (Recorder.Bit({statement.Pick + 1})) throw new InvalidOperationException();\n");
                RenderBlock(statement.Then[half..], context with { CanThrow = true }, output, indent + "    ");
                output.Append($"{indent}}}\n{indent}catch (InvalidOperationException)\n{indent}{{\n");
                RenderBlock(statement.Else, context, output, indent + "    ");
                output.Append($"{indent}}}\n");
                break;
            case StatementKind.TryFinally:
                output.Append($"try\n{indent}{{\n");
                RenderBlock(statement.Then, context, output, indent + "    ");
                output.Append($"{indent}}}\n{indent}finally\n{indent}{{\n");
                RenderBlock(statement.Else, context with { CanThrow = false }, output, indent + "    ");
                output.Append($"{indent}}}\n");
                break;
            case StatementKind.Switch:
                output.Append($"switch (Recorder.Choice({statement.Pick}))\n{indent}{{\n{indent}    case 0:\n{indent}    {{\n");
                RenderBlock(statement.Then, context, output, indent + "        ");
                output.Append($"{indent}        break;\n{indent}    }}\n{indent}    default:\n{indent}    {{\n");
                RenderBlock(statement.Else, context, output, indent + "        ");
                output.Append($"{indent}        break;\n{indent}    }}\n{indent}}}\n");
                break;
            case StatementKind.ThrowIf:
                output.Append($"if (Recorder.Bit({statement.Pick})) throw new InvalidOperationException();\n");
                break;
            case StatementKind.RefLocalWrite:
                var alias = Name("r");
                output.Append($"ref var {alias} = ref {variable};\n{indent}{alias} = {value};\n");
                break;
            case StatementKind.RefArgument:
                output.Append($"Recorder.Touch(ref {variable}, {value});\n");
                break;
            case StatementKind.OutArgument:
                output.Append($"Recorder.Set(out {variable}, {value});\n");
                break;
            case StatementKind.InArgument:
                output.Append($"Recorder.Look(in {variable});\n");
                break;
            case StatementKind.LambdaWrite:
                var lambda = Name("w");
                output.Append($"Action {lambda} = () => {variable} = {value};\n{indent}if (Recorder.Bit({statement.Pick})) {lambda}();\n");
                break;
            case StatementKind.LocalFunctionWrite:
                var local = Name("w");
                output.Append($"void {local}() => {variable} = {value};\n{indent}if (Recorder.Bit({statement.Pick})) {local}();\n");
                break;
            case StatementKind.IncrementOrDecrement:
                output.Append(statement.Pick % 2 == 0 ? $"{variable}++;\n" : $"{variable}--;\n");
                break;
            case StatementKind.Deconstruction:
                output.Append($"({variable}, _) = ({value}, 0);\n");
                break;
            case StatementKind.Pattern:
                var matched = Name("p");
                output.Append($"if (Recorder.Box({value}) is FollFlags {matched})\n{indent}{{\n");
                RenderBlock(statement.Then, context with { Scope = [.. scope, matched] }, output, indent + "    ");
                output.Append($"{indent}}}\n{indent}else\n{indent}{{\n");
                RenderBlock(statement.Else, context, output, indent + "    ");
                output.Append($"{indent}}}\n");
                break;
            case StatementKind.FieldWrite:
                output.Append($"Recorder.Field = {value};\n");
                break;
            case StatementKind.Call:
                RenderCall(statement.Pick, statement.Value, context, output);
                break;
            case StatementKind.CallInLambda:
                var caller = Name("c");
                output.Append($"Action {caller} = () =>\n{indent}{{\n{indent}    ");
                RenderCall(statement.Pick, statement.Value, context, output);
                output.Append($"{indent}}};\n{indent}{caller}();\n");
                break;
        }
    }

    /// <summary>A call site: the recording wrapper, a real Gup entry point, or one of the forwarding functions this
    /// context may call (Run: all of them; a function: the later static, virtual and interface ones).</summary>
    private void RenderCall(int pick, ExpressionSpec flagsSpec, Context context, StringBuilder output)
    {
        var targets = new List<int> { -2, -1 };
        for (var function = context.Function + 1; function < _spec.Functions.Length; function++)
        {
            if (context.Function < 0 || KindOf(function) is not (FunctionKind.LocalFunction or FunctionKind.Lambda))
            {
                targets.Add(function);
            }
        }

        var target = targets[pick % targets.Count];
        var flags = Expression(flagsSpec, context);
        var site = _nextSite++;
        string shape;
        string? via = null;
        switch (target)
        {
            case -2:
                shape = "call:Recorder.Get";
                output.Append($"Recorder.Get(site: {site}, {flags});\n");
                break;
            case -1:
                var entry = GupEntries[pick / 2 % GupEntries.Length];
                shape = $"call:Gup.{entry}";
                var arguments = entry == "FollowPage" ? $"Recorder.Process, Recorder.Address, {flags}" : $"Recorder.Process, Recorder.Address, 1, {flags}";
                output.Append($"try {{ Recorder.Keep(site: {site}, Gup.{entry}({arguments})); }} catch (VmException) {{ Recorder.Refused(); }}\n");
                break;
            default:
                var kind = KindOf(target);
                shape = $"call:{kind}";
                switch (kind)
                {
                    case FunctionKind.StaticWrapper or FunctionKind.PlainParameter:
                        output.Append($"Program.W{target}(site: {site}, {flags});\n");
                        break;
                    case FunctionKind.MethodGroup:
                        if (context.Function < 0)
                        {
                            via = $"conv:{target}";
                            output.Append($"conv{target}(site: {site}, {flags});\n");
                        }
                        else
                        {
                            output.Append($"Program.W{target}(site: {site}, {flags});\n");
                        }

                        break;
                    case FunctionKind.LocalFunction:
                        output.Append($"L{target}(site: {site}, {flags});\n");
                        break;
                    case FunctionKind.Lambda:
                        via = $"conv:{target}";
                        output.Append($"conv{target}(site: {site}, {flags});\n");
                        break;
                    case FunctionKind.OverrideInheritingContract or FunctionKind.OverrideAddingContract:
                        output.Append($"((B{target})new C{target}()).Take(site: {site}, {flags});\n");
                        break;
                    default:
                        if (kind == FunctionKind.InheritedImplementation)
                        {
                            via = $"type:{target}";
                        }

                        output.Append($"((I{target})new C{target}()).Take(site: {site}, {flags});\n");
                        break;
                }

                break;
        }

        Count(shape);
        _sites[site] = new SiteInfo(site, shape, via, context.Justified);
    }

    private string Expression(ExpressionSpec spec, Context context)
    {
        var kind = (ExpressionKind)(spec.Kind % Enum.GetValues<ExpressionKind>().Length);
        var left = spec.Left is null ? null : Expression(spec.Left, context);
        var right = spec.Right is null ? null : Expression(spec.Right, context);
        var third = spec.Third is null ? null : Expression(spec.Third, context);
        var variable = context.Scope.Count == 0 ? null : context.Scope[spec.Pick % context.Scope.Count];
        var constant = Constants[spec.Pick % Constants.Length];
        if (left is null && kind is not (ExpressionKind.Constant or ExpressionKind.Variable or ExpressionKind.Field or ExpressionKind.Default))
        {
            kind = ExpressionKind.Constant;
        }

        if (kind is ExpressionKind.Variable or ExpressionKind.AssignmentExpression && variable is null)
        {
            kind = ExpressionKind.Constant;
        }

        Count($"expression:{kind}");
        return kind switch
        {
            ExpressionKind.Constant => constant.Contains('|', StringComparison.Ordinal) ? $"({constant})" : constant,
            ExpressionKind.Variable => variable!,
            ExpressionKind.Or => $"({left} | {right ?? constant})",
            ExpressionKind.And => $"({left} & {right ?? constant})",
            ExpressionKind.Mask => $"({left} & ~({Masks[spec.Pick % Masks.Length]}))",
            ExpressionKind.Xor => $"({left} ^ ({Masks[spec.Pick % Masks.Length]}))",
            ExpressionKind.Conditional => $"(Recorder.Bit({spec.Pick}) ? {left} : {right ?? constant})",
            ExpressionKind.SwitchExpression => $"(Recorder.Choice({spec.Pick}) switch {{ 0 => {left}, 1 => {right ?? constant}, _ => {third ?? constant} }})",
            ExpressionKind.Field => "Recorder.Field",
            ExpressionKind.MethodResult => $"Recorder.Id({left})",
            ExpressionKind.Default => "default(FollFlags)",
            ExpressionKind.IntegerRoundTrip => $"(FollFlags)(int)({left})",
            ExpressionKind.TupleItem => $"({left}, 0).Item1",
            ExpressionKind.AssignmentExpression => $"({variable} = {left})",
            _ => constant,
        };
    }

    /// <summary>Where a statement is rendered: the function (-1: Run), whether [WrongSideCowOk] covers it, the flags
    /// variables in scope, and whether a throw here is caught in the same function.</summary>
    private sealed record Context(ProgramRenderer Renderer, int Function, bool Justified, List<string> Scope, bool CanThrow);
}
