using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// Runs a core stream on a worker thread and hands its items to the pipeline thread, which is the only thread
/// allowed to call <c>Write*</c>. The cmdlet drains it in ProcessRecord/EndProcessing; StopProcessing cancels it.
/// </summary>
internal sealed class UpdatePump<T> : IDisposable
{
    private readonly BlockingCollection<T> _queue = new();
    private readonly CancellationTokenSource _cancellation;
    private readonly Task _worker;
    private Exception? _failure;

    private UpdatePump(Func<CancellationToken, IAsyncEnumerable<T>> source, CancellationToken stopToken)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        var token = _cancellation.Token;
        _worker = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source(token).ConfigureAwait(false)) _queue.Add(item, CancellationToken.None);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                _queue.CompleteAdding();
            }
        }, CancellationToken.None);
    }

    /// <summary>Starts enumerating <paramref name="source"/> on a worker; <paramref name="stopToken"/> cancels it.</summary>
    public static UpdatePump<T> Start(Func<CancellationToken, IAsyncEnumerable<T>> source, CancellationToken stopToken) =>
        new(source, stopToken);

    /// <summary>
    /// The items in the order the worker produced them, on the calling thread; blocks until the next one.
    /// Rethrows the worker's exception (with its original stack) after the last item.
    /// </summary>
    public IEnumerable<T> Drain()
    {
        foreach (var item in _queue.GetConsumingEnumerable()) yield return item;
        _worker.Wait();
        if (_failure is not null) ExceptionDispatchInfo.Capture(_failure).Throw();
    }

    /// <summary>Cancels the worker and waits for it, so the model's native memory is freed before the cmdlet returns.</summary>
    public void Dispose()
    {
        _cancellation.Cancel();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // The worker records its own failure; nothing else can escape it.
        }
        _cancellation.Dispose();
        _queue.Dispose();
    }
}
