using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using CowGuard.CodeFixes;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0005PageReferenceApiAsDelegateAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0005Tests
{
    private static Task DiagnoseAsync(string source) => new Verify { TestCode = source }.WithTestApis().RunAsync();

    [Fact]
    public Task Method_groups_delegates_and_function_pointers_are_reported() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        unsafe class C
        {
            void M()
            {
                Func<ulong, int, FollFlags, PageRefs> group = Api.{|CG0005:Get|};
                var created = new Func<ulong, int, PageRefs>(Api.{|CG0005:Vmsplice|});
                delegate*<ulong, int, FollFlags, PageRefs> pointer = &Api.{|CG0005:Get|};
                Run(Api.{|CG0005:Pin|});
            }

            static void Run(Func<ulong, int, FollFlags, PagePins> take) { }
        }
        """, allowUnsafe: true);

    [Fact]
    public Task Lambdas_nameof_and_other_method_groups_are_not_reported() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Func<ulong, PageRefs> lambda = start => Api.Get(start, 1, FollFlags.BreakCow);
                var name = nameof(Api.Get);
                Action<PageRefs> release = Api.PutPages;
            }
        }
        """);

    [Fact]
    public Task Justified_method_groups_are_not_reported() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [WrongSideCowOk("The delegate is only called with FollFlags.Write by Dispatch")]
            Func<ulong, int, FollFlags, PageRefs> Make() => Api.Get;
        }
        """);

    [Fact]
    public Task Add_attribute_fix_is_offered() => new CowGuardTest<CG0005PageReferenceApiAsDelegateAnalyzer, CG0001AddWrongSideCowOkCodeFix>
    {
        TestCode = """
            using System;
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                Func<ulong, int, FollFlags, PageRefs> Make() => Api.{|CG0005:Get|};
            }
            """,
        FixedCode = """
            using System;
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                [WrongSideCowOk("<Pending>")]
                Func<ulong, int, FollFlags, PageRefs> Make() => Api.Get;
            }
            """,
    }.WithTestApis().RunAsync();

    [Fact]
    public Task GupFlags_lambdas_are_reported_at_their_parameter() => DiagnoseAsync("""
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            void M()
            {
                Func<FollFlags, PageRefs> forward = ([GupFlags] FollFlags {|CG0005:flags|}) => Api.Get(0, 1, flags);
                Func<FollFlags, PageRefs> plain = (FollFlags flags) => Api.Get(0, 1, flags | FollFlags.Write);
                Func<FollFlags, PageRefs> simple = flags => Api.Get(0, 1, FollFlags.BreakCow);
            }
        }
        """);

    [Fact]
    public Task Add_attribute_fix_puts_it_on_the_GupFlags_lambda() => new CowGuardTest<CG0005PageReferenceApiAsDelegateAnalyzer, CG0001AddWrongSideCowOkCodeFix>
    {
        TestCode = """
            using System;
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                Func<FollFlags, PageRefs> Make() => ([GupFlags] FollFlags {|CG0005:flags|}) => Api.Get(0, 1, flags);
            }
            """,
        FixedCode = """
            using System;
            using CowGuard.VmModel;
            using Lib;
            class C
            {
                Func<FollFlags, PageRefs> Make() => [WrongSideCowOk("<Pending>")] ([GupFlags] FollFlags flags) => Api.Get(0, 1, flags);
            }
            """,
    }.WithTestApis().RunAsync();

    private static Task DiagnoseAsync(string source, bool allowUnsafe)
    {
        var test = new Verify { TestCode = source }.WithTestApis();
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(allowUnsafe));
        });
        return test.RunAsync();
    }
}
