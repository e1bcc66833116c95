using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ReasonTools.Core.Hardware;

/// <summary>One memory-bandwidth measurement.</summary>
public sealed record BandwidthMeasurement(double GBps, int Threads, long BufferBytes, TimeSpan ReadTime);

/// <summary>
/// Multi-threaded sequential read bandwidth — what token generation on the CPU is bound by. Each thread
/// first writes its own slice of one buffer (so the pages are real and, on NUMA machines, local) and then
/// sums it with 256-bit vector loads, pass after pass, until the time budget ends. The figure is the sum over
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
            var bestRate = new double[threads];
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
                    ulong sink = 0;
                    long passStart = Stopwatch.GetTimestamp(), passEnd;
                    do
                    {
                        sink += Sum(start, slice);
                        passEnd = Stopwatch.GetTimestamp();
                        bestRate[index] = Math.Max(bestRate[index], slice / ((double)(passEnd - passStart) / Stopwatch.Frequency));
                        passStart = passEnd;
                    }
                    while (passEnd < Volatile.Read(ref deadlineTicks) && !cancellationToken.IsCancellationRequested);
                    GC.KeepAlive(sink);
                }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "bandwidth-probe" };
                workers[t].Start();
            }

            Volatile.Write(ref deadlineTicks, long.MaxValue);
            ready.SignalAndWait(cancellationToken);
            long begin = Stopwatch.GetTimestamp();
            Volatile.Write(ref deadlineTicks, begin + (long)(readTime.TotalSeconds * Stopwatch.Frequency));
            foreach (var worker in workers) worker.Join();
            var elapsed = Stopwatch.GetElapsedTime(begin);
            cancellationToken.ThrowIfCancellationRequested();
            return new BandwidthMeasurement(bestRate.Sum() / 1e9, threads, slice * threads, elapsed);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    // Four independent accumulators keep several loads in flight; the adds are far cheaper than the loads.
    private static unsafe ulong Sum(byte* start, long length)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ulong> a = default, b = default, c = default, d = default;
            for (byte* p = start, end = start + length; p < end; p += 128)
            {
                a += Vector256.LoadAligned((ulong*)p);
                b += Vector256.LoadAligned((ulong*)(p + 32));
                c += Vector256.LoadAligned((ulong*)(p + 64));
                d += Vector256.LoadAligned((ulong*)(p + 96));
            }
            return Vector256.Sum(a + b + c + d);
        }
        else
        {
            Vector128<ulong> a = default, b = default, c = default, d = default;
            for (byte* p = start, end = start + length; p < end; p += 64)
            {
                a += Vector128.LoadAligned((ulong*)p);
                b += Vector128.LoadAligned((ulong*)(p + 16));
                c += Vector128.LoadAligned((ulong*)(p + 32));
                d += Vector128.LoadAligned((ulong*)(p + 48));
            }
            return Vector128.Sum(a + b + c + d);
        }
    }
}
