namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>A dedicated background thread running one call, for tests that need a second thread at a precise moment.</summary>
internal sealed class OtherThread<T>
{
    private readonly Thread _thread;
    private T? _result;
    private Exception? _error;

    private OtherThread(Func<T> work)
    {
        _thread = new Thread(() =>
        {
            try
            {
                _result = work();
            }
            catch (Exception e)
            {
                _error = e;
            }
        }) { IsBackground = true, Name = "test: other thread" };
        _thread.Start();
    }

    public static OtherThread<T> Start(Func<T> work) => new(work);

    /// <summary>Whether the call finished within the timeout.</summary>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>The call's result, once finished (rethrows what it threw).</summary>
    public T Result => _error is null ? _result! : throw new InvalidOperationException("the other thread failed", _error);
}
