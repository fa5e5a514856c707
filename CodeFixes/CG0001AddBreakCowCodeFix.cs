using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CowGuard.CodeFixes;

/// <summary>CG0001 fix: add FollFlags.BreakCow, the model's FAULT_FLAG_UNSHARE — break COW without claiming to write.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CG0001AddBreakCowCodeFix))]
[Shared]
public sealed class CG0001AddBreakCowCodeFix : AddFollFlagCodeFix
{
    protected override string FlagName => "BreakCow";
}
