namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// One scenario program at a time on the whole machine, not only in this process: programs set machine-wide knobs
/// (THP sizes, hugetlb pools, ksmd), and on a shared machine two CowGuard runs (a CI run and a CLI run, say) would
/// otherwise undo each other's settings mid-program. An exclusive advisory lock (flock, via FileShare.None) on a
/// file in the temporary directory; a run waits for it, bounded, and says that it waits.
/// </summary>
internal sealed class MachineLock : IDisposable
{
    public static readonly string LockPath = Path.Combine(Path.GetTempPath(), "cowguard-live.lock");

    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    /// <summary>
    /// Waits up to <paramref name="patience"/> for the lock; throws <see cref="LiveKernelException"/> after that.
    /// <paramref name="waiting"/> is called once if the lock is held by another process when asked for.
    /// </summary>
    public static MachineLock Acquire(TimeSpan patience, Action? waiting = null)
    {
        var deadline = DateTime.UtcNow + patience;
        var told = false;
        while (true)
        {
            try
            {
                return new MachineLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    waiting?.Invoke();
                    told = true;
                }

                Thread.Sleep(50); // another CowGuard process is running a scenario program
            }
            catch (IOException e)
            {
                throw new LiveKernelException($"another CowGuard process held {LockPath} for more than {patience.TotalSeconds:0} s ({e.Message})");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new LiveKernelException($"cannot open the machine lock {LockPath}: {e.Message}");
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
