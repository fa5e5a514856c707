using System.Runtime.CompilerServices;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel.Translation;

/// <summary>
/// The C a set of scenarios becomes, pinned in Golden/*.c (no compiler needed): the driver's statements, the agents'
/// steps, CG_TRY around a try, the check numbers, string escapes. A change in the translation shows up as a diff of
/// these files; COWGUARD_UPDATE_GOLDEN=1 rewrites them in the source tree instead of comparing.
/// </summary>
public sealed class CTranslatorGoldenTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "b02-vmsplice-child", "bugs/B02-cve-2020-29374-vmsplice-child.cow", string.Empty },
        { "b03-gup-test-ro-pin", "bugs/B03-cow-breaks-either-way.cow", string.Empty },
        { "anon10-gup-test-fast-ro-pin", "anon/10-ro-gup-fast-pin-shared.cow", "base" },
        { "b05-uffd-wp-try-gup", "bugs/B05-uffd-wp-forced-cow.cow", string.Empty },
        { "b09-pfn", "bugs/B09-spurious-cow-lru-batch.cow", string.Empty },
        { "b12-hugetlb-pool-try", "bugs/B12-hugetlb-cow-without-free-page.cow", string.Empty },
        { "anon08-iouring-thp-pte-64k", "anon/08-iouring-fixed-buffer-fork.cow", "thp_pte[64K]" },
        { "anon-thp02-collapse-named-setup", "anon-thp/02-collapse-after-fork-fully-shared.cow", string.Empty },
        { "non-anon01-memfd-hugetlb-2m", "non-anon/01-basic-cow.cow", "memfd_hugetlb[2M]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Catalogue_scenario_translates_to_its_golden_program(string golden, string file, string backing)
    {
        var instance = ScenarioLoader.LoadFile(Path.Combine(BuiltInCatalogue.Root, file)).Single(i => (i.Backing?.Id ?? string.Empty) == backing || !i.BackingInName);

        AssertGolden(golden, instance);
    }

    [Fact]
    public void Remote_copies_ksm_and_string_escapes_translate_to_their_golden_program()
    {
        var instance = ScenarioLoader.LoadText("remote-ksm-strings.cow", """
            scenario "remote copies, KSM and strings: */ \"quoted\" \\ ü ??="
            verdict Mapcount=pass ForcedCowGup=pass Refcount=pass AnonExclusive=pass
            p = process "p"
            m = mmap p 8K
            fill p m 8K 7
            q = p
            madvise q m 8K mergeable
            c = fork p
            ksm_merge
            h = pin_user_pages_remote p m 2 none
            expect "remote read": device_read h == 7
            unpin_user_pages h
            w = get_user_pages_remote c m 1 write|force
            device_write w 9
            put_pages w
            text = "say \"q\" \\ ü ??= */"
            expect "a string survives C": text != "other"
            expect "the child sees the forced write": read c m 4K == 9
            exit c
            ksm_merge
            """).Single();

        AssertGolden("remote-ksm-strings", instance);
    }

    private static void AssertGolden(string golden, ScenarioInstance instance)
    {
        var program = CTranslator.Translate(instance, "i0", TargetKernels.Full);
        var text = CProgramBatch.Compose([program]);
        var path = GoldenPath(golden);
        if (Environment.GetEnvironmentVariable("COWGUARD_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, text);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; its content would be:\n{text}");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), text.ReplaceLineEndings("\n"));
    }

    private static string GoldenPath(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", name + ".c");
}
