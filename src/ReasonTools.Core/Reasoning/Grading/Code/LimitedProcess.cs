using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>Starts a process, feeds its stdin, and stops it at the wall-time or output-size limit (host side).</summary>
internal static class LimitedProcess
{
    /// <summary>Runs <paramref name="start"/>; <paramref name="started"/> sees the process before its input is written (to put it in a job object).</summary>
    public static async Task<SandboxRun> RunAsync(ProcessStartInfo start, string? stdin, SandboxLimits limits, CancellationToken cancellationToken, Action<Process>? started = null)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        if (started is not null)
        {
            try
            {
                started(process);
            }
            catch
            {
                Kill(process);
                throw;
            }
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = new OutputBudget(limits.OutputBytes, stop);
        var stdout = output.ReadAsync(process.StandardOutput.BaseStream);
        var stderr = output.ReadAsync(process.StandardError.BaseStream);
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), stop.Token).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading all its input; its exit says what happened.
        }

        string? limit = null;
        using var wall = new CancellationTokenSource(limits.WallTime);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, wall.Token);
        try
        {
            await process.WaitForExitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            limit = output.Exceeded
                ? $"output limit: printed more than {Bytes(limits.OutputBytes)}"
                : string.Create(CultureInfo.InvariantCulture, $"wall-time limit: still running after {limits.WallTime.TotalSeconds:0.#} s");
        }
        var outText = await stdout.ConfigureAwait(false);
        var errText = await stderr.ConfigureAwait(false);
        if (limit is null && output.Exceeded) limit = $"output limit: printed more than {Bytes(limits.OutputBytes)}";
        var exit = process.ExitCode;
        limit ??= SignalLimit(exit, limits);
        return new SandboxRun(exit, outText, errText, limit);
    }

    /// <summary>bubblewrap and shells report a child killed by signal N as 128 + N.</summary>
    private static string? SignalLimit(int exitCode, SandboxLimits limits) => exitCode switch
    {
        128 + 24 => $"CPU-time limit: used more than {limits.CpuSeconds} s of CPU", // SIGXCPU
        128 + 25 => $"file-size limit: wrote a file over {Bytes(limits.FileBytes)}", // SIGXFSZ
        128 + 9 => "killed (SIGKILL), usually the CPU-time or memory limit",
        _ => null,
    };

    internal static string Bytes(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB");

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Both streams share one byte budget; past it the run is cancelled and what was read is kept.</summary>
    private sealed class OutputBudget(long limit, CancellationTokenSource stop)
    {
        private long _used;

        public bool Exceeded { get; private set; }

        public async Task<string> ReadAsync(Stream stream)
        {
            var kept = new MemoryStream();
            var buffer = new byte[16384];
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    break;
                }
                if (read == 0) break;
                var room = limit - Interlocked.Add(ref _used, read) + read;
                if (room > 0) kept.Write(buffer, 0, (int)Math.Min(read, room));
                if (Interlocked.Read(ref _used) > limit && !Exceeded)
                {
                    Exceeded = true;
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
            return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
        }
    }
}
