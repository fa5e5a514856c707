using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CowGuard.CodeFixes;

/// <summary>CG0001 fix: add FollFlags.Write (FOLL_WRITE), for callers that do write through the pages.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CG0001AddWriteCodeFix))]
[Shared]
public sealed class CG0001AddWriteCodeFix : AddFollFlagCodeFix
{
    protected override string FlagName => "Write";
}
