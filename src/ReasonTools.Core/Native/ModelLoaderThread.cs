using System.Collections.Concurrent;

namespace ReasonTools.Core.Native;

/// <summary>
/// The one thread llama.cpp models are loaded on. glibc gives each new thread a heap arena of its own, and pages that a
/// few live chunks pin are kept even by malloc_trim: loads on ever-new threads each left ~20 MB behind in another
/// arena, while on one thread a load reuses the heap the previous one freed. Loads queue behind each other.
/// </summary>
internal static class ModelLoaderThread
{
    private static readonly BlockingCollection<LoadItem> Queue = [];
    private static readonly Lazy<Thread> Worker = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var item in Queue.GetConsumingEnumerable()) item.Run();
        }) { IsBackground = true, Name = "llama.cpp model loader" };
        thread.Start();
        return thread;
    });

    /// <summary>Runs <paramref name="load"/> on the loader thread; cancelled while it waits its turn, it never starts.</summary>
    public static Task<T> RunAsync<T>(Func<T> load, CancellationToken cancellationToken)
    {
        var item = new LoadItem<T>(load, cancellationToken);
        _ = Worker.Value;
        Queue.Add(item, CancellationToken.None);
        return item.Task;
    }

    private abstract class LoadItem
    {
        public abstract void Run();
    }

    private sealed class LoadItem<T> : LoadItem
    {
        private const int Queued = 0, Started = 1, Cancelled = 2;
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<T> _load;
        private readonly CancellationTokenRegistration _whileQueued;
        private int _state;

        public LoadItem(Func<T> load, CancellationToken cancellationToken)
        {
            _load = load;
            // Once started, the load itself answers the token (llama.cpp's progress callback stops it) and owns what it made.
            _whileQueued = cancellationToken.Register(() =>
            {
                if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued) _done.TrySetCanceled(cancellationToken);
            });
        }

        public Task<T> Task => _done.Task;

        public override void Run()
        {
            if (Interlocked.CompareExchange(ref _state, Started, Queued) != Queued) return;
            _whileQueued.Dispose();
            try
            {
                _done.TrySetResult(_load());
            }
            catch (OperationCanceledException e)
            {
                _done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                _done.TrySetException(e);
            }
        }
    }
}
