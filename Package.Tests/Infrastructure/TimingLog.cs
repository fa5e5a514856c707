namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// Measured times (and why a measuring test was skipped) that belong in the CI log. `dotnet test` shows nothing a
/// passing or skipped test prints, so the lines also go to the file named by COWGUARD_TIMING_LOG, which .ci/run sets
/// and prints after the tests.
/// </summary>
internal static class TimingLog
{
    private static readonly object Gate = new();

    public static void Write(Xunit.Abstractions.ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("COWGUARD_TIMING_LOG") is { Length: > 0 } path)
        {
            lock (Gate)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
