using CowGuard.Benchmarks.Corpus;
using Xunit;

namespace CowGuard.Benchmarks.Tests;

/// <summary>`compiler-cpu --corpus DIR`: which files of a real tree are compiled, and its options' parsing.</summary>
public sealed class RealCorpusTests
{
    [Theory]
    [InlineData("Program.cs", true)]
    [InlineData("src/App/Widget.g.cs", true)]
    [InlineData("src/App/Form1.Designer.cs", true)]
    [InlineData("src/App/bin/Release/net10.0/Leftover.cs", false)]
    [InlineData("src/App/obj/Debug/net10.0/App.AssemblyInfo.cs", false)]
    [InlineData(".git/hooks/x.cs", false)]
    [InlineData("src/.vs/cache.cs", false)]
    [InlineData("src/binary/Reader.cs", true)]
    [InlineData("src/App/readme.md", false)]
    public void A_file_is_compiled_unless_it_is_under_bin_obj_or_a_dot_folder(string relativePath, bool compiled)
    {
        Assert.Equal(compiled, SourceTree.IsCompiled(relativePath));
    }

    [Fact]
    public void Selecting_a_tree_lists_its_compiled_files_in_order_and_counts_their_lines()
    {
        var root = Directory.CreateTempSubdirectory("corpus-tests-");
        try
        {
            Write(root.FullName, "b/B.cs", "class B\n{\n}\n");
            Write(root.FullName, "a/A.cs", "class A { }\n");
            Write(root.FullName, "a/obj/Debug/A.g.cs", "class Generated { }\n");
            Write(root.FullName, "bin/Old.cs", "class Old { }\n");

            var tree = SourceTree.Select(root.FullName);

            Assert.Equal([Path.Combine(root.FullName, "a", "A.cs"), Path.Combine(root.FullName, "b", "B.cs")], tree.Files);
            Assert.Equal(4, tree.Lines);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_tree_without_a_compiled_file_is_refused_with_its_path()
    {
        var root = Directory.CreateTempSubdirectory("corpus-tests-");
        try
        {
            Write(root.FullName, "obj/Only.cs", "class Only { }\n");

            var error = Assert.Throws<FileNotFoundException>(() => SourceTree.Select(root.FullName));

            Assert.Contains(root.FullName, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Microsoft.CodeAnalysis.CSharp.Workspaces@5.0.0", "Microsoft.CodeAnalysis.CSharp.Workspaces", "5.0.0")]
    [InlineData("xunit.v3@3.2.2", "xunit.v3", "3.2.2")]
    public void A_package_is_id_at_version(string text, string id, string version)
    {
        Assert.Equal(new PackageSpec(id, version), PackageSpec.TryParse(text));
    }

    [Theory]
    [InlineData("xunit")]
    [InlineData("@1.0")]
    [InlineData("xunit@")]
    [InlineData("a@b@c")]
    [InlineData("x unit@1.0")]
    public void Anything_else_is_not_a_package(string text)
    {
        Assert.Null(PackageSpec.TryParse(text));
    }

    [Fact]
    public void Corpus_packages_properties_and_usings_parse_repeated()
    {
        var root = Directory.CreateTempSubdirectory("corpus-tests-");
        try
        {
            var parse = BenchmarkCommand.CreateRoot().Parse(
                ["compiler-cpu", "--corpus", root.FullName, "--package", "A@1.0", "--package", "B@2.0", "--property", "LangVersion=preview", "--property", "ImplicitUsings=enable", "--using", "Microsoft.CodeAnalysis", "--using", "System.Collections.Immutable"]);

            Assert.Empty(parse.Errors);
            Assert.Equal(root.FullName.TrimEnd('/'), parse.GetValue<DirectoryInfo>("--corpus")!.FullName.TrimEnd('/'));
            Assert.Equal([new PackageSpec("A", "1.0"), new PackageSpec("B", "2.0")], parse.GetValue<IReadOnlyList<PackageSpec>>("--package"));
            Assert.Equal(
                [new KeyValuePair<string, string>("LangVersion", "preview"), new KeyValuePair<string, string>("ImplicitUsings", "enable")],
                parse.GetValue<IReadOnlyList<KeyValuePair<string, string>>>("--property"));
            Assert.Equal(["Microsoft.CodeAnalysis", "System.Collections.Immutable"], parse.GetValue<IReadOnlyList<string>>("--using"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("compiler-cpu --corpus /nonexistent/tree", "/nonexistent/tree")]
    [InlineData("compiler-cpu --package A@1.0", "--package needs --corpus")]
    [InlineData("compiler-cpu --property LangVersion=preview", "--property needs --corpus")]
    [InlineData("compiler-cpu --corpus . --lines 2000", "--lines describes a generated corpus and cannot be combined with --corpus")]
    [InlineData("compiler-cpu --corpus . --profile plain", "--profile describes a generated corpus")]
    [InlineData("compiler-cpu --corpus . --package xunit", "--package: 'xunit' is not ID@VERSION")]
    [InlineData("compiler-cpu --corpus . --property 1x=2", "--property: '1x=2' is not NAME=VALUE")]
    [InlineData("compiler-cpu --corpus . --property LangVersion", "--property: 'LangVersion' is not NAME=VALUE")]
    [InlineData("compiler-cpu --corpus . --using Microsoft..CodeAnalysis", "--using: 'Microsoft..CodeAnalysis' is not a namespace name")]
    [InlineData("compiler-cpu --using System.Linq", "--using needs --corpus")]
    public void Corpus_options_refuse_bad_values_and_combinations(string commandLine, string expected)
    {
        var errors = BenchmarkCommand.CreateRoot().Parse(commandLine.Split(' ')).Errors.Select(e => e.Message).ToList();

        Assert.Contains(errors, message => message.Contains(expected, StringComparison.Ordinal));
    }

    private static void Write(string root, string relativePath, string text)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
