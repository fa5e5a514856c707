using CowGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = CowGuard.Analyzers.Tests.Infrastructure.CowGuardTest<
    CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer,
    CowGuard.CodeFixes.CG0001AddWrongSideCowOkCodeFix>;

namespace CowGuard.Analyzers.Tests;

public sealed class CG0001AddWrongSideCowOkCodeFixTests
{
    private static Task FixAsync(string source, string fixedSource, string? editorConfig = null)
    {
        var test = new Verify { TestCode = source, FixedCode = fixedSource }.WithTestApis();
        if (editorConfig is not null)
        {
            test.WithEditorConfig(editorConfig);
        }

        return test.RunAsync();
    }

    [Fact]
    public Task Adds_the_placeholder_on_the_method_with_its_indentation_and_comments() => FixAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            // Takes a snapshot.
            public void M()
            {
                Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            }
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            // Takes a snapshot.
            [WrongSideCowOk("<Pending>")]
            public void M()
            {
                Api.Get(0, 1, FollFlags.None);
            }
        }
        """);

    [Fact]
    public Task Adds_the_using_when_missing() => FixAsync(
        """
        class C
        {
            void M() => Lib.Api.{|CG0001:Vmsplice|}(0, 1);
        }
        """,
        """
        using CowGuard.VmModel;

        class C
        {
            [WrongSideCowOk("<Pending>")]
            void M() => Lib.Api.Vmsplice(0, 1);
        }
        """);

    [Fact]
    public Task Targets_parenthesized_lambdas_local_functions_and_accessors() => FixAsync(
        """
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            PageRefs P
            {
                get => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
            }

            void M()
            {
                Func<PageRefs> f = () => Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                PageRefs Local() => Api.{|CG0001:Vmsplice|}(0, 1);
            }
        }
        """,
        """
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            PageRefs P
            {
                [WrongSideCowOk("<Pending>")]
                get => Api.Get(0, 1, FollFlags.None);
            }

            void M()
            {
                Func<PageRefs> f = [WrongSideCowOk("<Pending>")] () => Api.Get(0, 1, FollFlags.None);
                [WrongSideCowOk("<Pending>")]
                PageRefs Local() => Api.Vmsplice(0, 1);
            }
        }
        """);

    [Fact]
    public Task Skips_simple_lambdas_to_the_enclosing_member_and_uses_the_property_for_expression_bodies() => FixAsync(
        """
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            Func<int, PageRefs> P => n => Api.{|CG0001:Get|}(0, n, FollFlags.None);
        }
        """,
        """
        using System;
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            [WrongSideCowOk("<Pending>")]
            Func<int, PageRefs> P => n => Api.Get(0, n, FollFlags.None);
        }
        """);

    [Fact]
    public Task Field_initializers_use_the_type_only_when_type_level_justifications_count() => FixAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly PageRefs Field = Api.{|CG0001:Get|}(0, 1, FollFlags.None);
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        [WrongSideCowOk("<Pending>")]
        class C
        {
            static readonly PageRefs Field = Api.Get(0, 1, FollFlags.None);
        }
        """);

    [Fact]
    public Task No_fix_for_field_initializers_when_type_level_is_off() => FixAsync(
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly PageRefs Field = Api.{|CG0001:Get|}(0, 1, FollFlags.None);
        }
        """,
        """
        using CowGuard.VmModel;
        using Lib;
        class C
        {
            static readonly PageRefs Field = Api.{|CG0001:Get|}(0, 1, FollFlags.None);
        }
        """,
        "cowguard.type_level_justification = false");

    [Fact]
    public Task No_fix_in_top_level_statements() => new Verify
    {
        TestState =
        {
            Sources = { "Lib.Api.{|CG0001:Vmsplice|}(0, 1);\n" },
            OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        },
        FixedState =
        {
            Sources = { "Lib.Api.{|CG0001:Vmsplice|}(0, 1);\n" },
        },
    }.WithTestApis().RunAsync();

    [Fact]
    public Task Fix_all_adds_one_attribute_per_scope_in_every_document()
    {
        var test = new Verify();
        test.TestState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                void M()
                {
                    Api.{|CG0001:Get|}(0, 1, FollFlags.None);
                    Api.{|CG0001:Vmsplice|}(0, 1);
                }

                void N() => Api.{|CG0001:Vmsplice|}(0, 1);
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                void M() => Api.{|CG0001:Get|}(0, 1, FollFlags.Force);
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using CowGuard.VmModel;
            using Lib;
            class A
            {
                [WrongSideCowOk("<Pending>")]
                void M()
                {
                    Api.Get(0, 1, FollFlags.None);
                    Api.Vmsplice(0, 1);
                }

                [WrongSideCowOk("<Pending>")]
                void N() => Api.Vmsplice(0, 1);
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using CowGuard.VmModel;
            using Lib;
            class B
            {
                [WrongSideCowOk("<Pending>")]
                void M() => Api.Get(0, 1, FollFlags.Force);
            }
            """));
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.WithTestApis().RunAsync();
    }
}
