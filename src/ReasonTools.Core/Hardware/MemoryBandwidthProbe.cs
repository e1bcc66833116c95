using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ReasonTools.Core.Hardware;

/// <summary>
/// One memory-bandwidth measurement. <paramref name="Spread"/> is how far the typical pass fell below the fastest
/// (1 − median ÷ best, over all threads); above <see cref="UnsteadySpread"/> the figure is <see cref="Unsteady"/>.
/// </summary>
public sealed record BandwidthMeasurement(double GBps, int Threads, long BufferBytes, TimeSpan ReadTime, double Spread = 0)
{
    /// <summary>Typical passes more than this much slower than the fastest: other work competed for memory or CPU.</summary>
    public const double UnsteadySpread = 0.25;

    /// <summary>True when the repeated passes disagreed by more than <see cref="UnsteadySpread"/>.</summary>
    public bool Unsteady => Spread > UnsteadySpread;
}

/// <summary>
/// Multi-threaded sequential read bandwidth — what token generation on the CPU is bound by. Each thread
/// first writes its own slice of one buffer (so the pages are real and, on NUMA machines, local) and then
/// reads it, pass after pass, until the time budget ends. The read is the runtime's own vectorized search
/// (<see cref="MemoryExtensions.IndexOfAnyExcept{T}(ReadOnlySpan{T}, T)"/> for a byte that fills the buffer), which is
/// compiled optimized in every build: a loop of our own runs 3× slower when the caller is built Debug
/// (<c>dotnet run notebooks/hardware-check.cs</c>). The figure is the sum over
/// threads of each thread's fastest pass: on a machine shared with other busy processes a descheduled pass is
/// slow for reasons that are not the memory's, and the fastest pass is what the hardware delivers.
/// </summary>
public static class MemoryBandwidthProbe
{
    /// <summary>
    /// Buffer size for <paramref name="threads"/> readers: 64 MiB per thread, at least 256 MiB and at most 1 GiB —
    /// well beyond the last-level cache (32 MiB per CCD here, up to a few hundred MiB on large servers) — and never
    /// more than an eighth of the memory available. Smaller buffers read partly from cache on this machine
    /// (2 threads: 16 MiB ≈ 250 GB/s, 64 MiB ≈ 90, 128 MiB ≈ 75, 256 MiB ≈ 40–45 GB/s on a quiet machine).
    /// Huge pages (madvise) would cut the cost of first writing the buffer but made the kernel compact memory
    /// for up to two seconds on a fresh process here, so the buffer uses ordinary pages.
    /// </summary>
    public static long ChooseBufferBytes(int threads, long availableBytes)
    {
        const long MiB = 1024 * 1024;
        long size = Math.Clamp(threads * 64 * MiB, 256 * MiB, 1024 * MiB);
        if (availableBytes > 0) size = Math.Min(size, availableBytes / 8);
        return Math.Max(size, 16 * MiB) / (4096L * threads) * (4096L * threads);
    }

    /// <summary>Measures read bandwidth with <paramref name="threads"/> threads over <paramref name="bufferBytes"/> for about <paramref name="readTime"/>.</summary>
    public static unsafe BandwidthMeasurement Measure(int threads, long bufferBytes, TimeSpan readTime, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        long slice = bufferBytes / threads / 128 * 128;
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, 128, nameof(bufferBytes));
        byte* buffer = (byte*)NativeMemory.AlignedAlloc((nuint)(slice * threads), 4096);
        try
        {
            var rates = new List<double>[threads];
            using var ready = new Barrier(threads + 1);
            long deadlineTicks = 0;
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int index = t;
                workers[t] = new Thread(() =>
                {
                    byte* start = buffer + index * slice;
                    new Span<byte>(start, (int)Math.Min(slice, int.MaxValue)).Fill((byte)(index + 1));
                    if (slice > int.MaxValue) new Span<byte>(start + int.MaxValue, (int)(slice - int.MaxValue)).Fill((byte)(index + 1));
                    ready.SignalAndWait(cancellationToken);
                    var passes = rates[index] = [];
                    long found = 0;
                    long passStart = Stopwatch.GetTimestamp(), passEnd;
                    do
                    {
                        found += Read(start, slice, (byte)(index + 1));
                        passEnd = Stopwatch.GetTimestamp();
                        passes.Add(slice / ((double)(passEnd - passStart) / Stopwatch.Frequency));
                        passStart = passEnd;
                    }
                    while (passEnd < Volatile.Read(ref deadlineTicks) && !cancellationToken.IsCancellationRequested);
                    GC.KeepAlive(found);
                }) { IsBackground = true, Name = "bandwidth-probe" };
                workers[t].Start();
            }

            Volatile.Write(ref deadlineTicks, long.MaxValue);
            ready.SignalAndWait(cancellationToken);
            long begin = Stopwatch.GetTimestamp();
            Volatile.Write(ref deadlineTicks, begin + (long)(readTime.TotalSeconds * Stopwatch.Frequency));
            foreach (var worker in workers) worker.Join();
            var elapsed = Stopwatch.GetElapsedTime(begin);
            cancellationToken.ThrowIfCancellationRequested();
            var best = rates.Sum(r => r.Max());
            var median = rates.Sum(r => r.Order().ElementAt(r.Count / 2));
            return new BandwidthMeasurement(best / 1e9, threads, slice * threads, elapsed, Spread: 1 - median / best);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    // One read-only pass over the slice: the runtime's vectorized search for a byte other than the fill, which never
    // matches, so every byte is loaded once and nothing is written. It runs in the runtime's own optimized code
    // whatever configuration this assembly was built in. Measured interleaved with a C AVX2 read loop (notes/19.md),
    // this read comes within noise of the C loop; a memmove into a cache-resident block read about half as fast.
    private static unsafe long Read(byte* start, long length, byte fill)
    {
        long found = 0;
        for (long offset = 0; offset < length; offset += int.MaxValue)
            found += new ReadOnlySpan<byte>(start + offset, (int)Math.Min(int.MaxValue, length - offset)).IndexOfAnyExcept(fill);
        return found;
    }
}
