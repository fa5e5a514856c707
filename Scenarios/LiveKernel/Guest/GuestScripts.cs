using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// The files of Scenarios/LiveKernel/Guest/kernel (build.sh, guest.config, init.sh): embedded in the assembly, or read
/// from the source folder it was built from. build.sh keys its cache by the contents of guest.config, not by where
/// the script lies, so a copy in a temporary folder finds the same kernel.
/// </summary>
internal static class GuestScripts
{
    private const string ResourcePrefix = "CowGuard.LiveKernel.Guest.";
    private static readonly string[] Names = ["build.sh", "guest.config", "init.sh"];
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Files = new(Load);
    private static readonly Lazy<string> Folder = new(Materialize);

    /// <summary>The /init script of every initramfs.</summary>
    public static string Init => Files.Value["init.sh"];

    /// <summary>The path of build.sh, with guest.config beside it.</summary>
    public static string BuildScript => Path.Combine(Folder.Value, "build.sh");

    private static IReadOnlyDictionary<string, string> Load()
    {
        var assembly = typeof(GuestScripts).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name);
            if (stream is not null)
            {
                using var reader = new StreamReader(stream);
                files[name] = reader.ReadToEnd();
                continue;
            }

            var source = Path.Combine(SourceDirectory(), "kernel", name);
            files[name] = File.Exists(source)
                ? File.ReadAllText(source)
                : throw new FileNotFoundException($"the guest kernel file {name} is neither embedded in {assembly.GetName().Name} nor present in {source}");
        }

        return files;
    }

    /// <summary>Writes the files once per content into the temporary folder (build.sh is run with bash).</summary>
    private static string Materialize()
    {
        var files = Files.Value;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(Names.Select(n => n + "\0" + files[n])))))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "cowguard-guest-scripts", hash);
        if (!File.Exists(Path.Combine(folder, "build.sh")))
        {
            var staging = folder + "." + Environment.ProcessId + ".tmp";
            Directory.CreateDirectory(staging);
            foreach (var name in Names)
                File.WriteAllText(Path.Combine(staging, name), files[name]);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, "build.sh")))
            {
                Directory.Delete(staging, recursive: true); // another process materialized the same content first
            }
        }

        return folder;
    }

    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile) ?? ".";
}
