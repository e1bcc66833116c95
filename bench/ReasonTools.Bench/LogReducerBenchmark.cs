using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReasonTools.Core.Logs;

namespace ReasonTools.Bench;

/// <summary>
/// Reduces a generated multi-format log (1 GB by default, written streaming to a temp folder and deleted after):
/// read + decode + reduce throughput, and the process's peak resident memory (VmHWM). Targets: ≥ 200 MB/s, ≤ 200 MB.
/// Usage: logs [--size-mb N] [--runs K] [--gzip] [--distinct] [--system] [--stages] (--distinct: half the lines are unique messages,
/// the worst case for the template table; --system: dpkg/apt/syslog lines; --stages: first time each stage alone). Each run also times a plain line count of the
/// same file as the reference.
/// </summary>
public sealed class LogReducerBenchmark : IBenchmark
{
    public string Name => "logs";
    public string Description => "log reducer throughput (MB/s) and peak memory on a generated 1 GB log";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long sizeMb = 1024;
        int runs = 3;
        bool gzip = false, distinct = false, system = false, stages = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size-mb" when i + 1 < args.Length: sizeMb = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--gzip": gzip = true; break;
                case "--distinct": distinct = true; break;
                case "--system": system = true; break;
                case "--stages": stages = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}; usage: logs [--size-mb N] [--runs K] [--gzip] [--distinct] [--system] [--stages]"); return 1;
            }
        }

        // Fixed-length name: the path is in the prompt, so its length changes what fits the budget (and the digest).
        string dir = Path.Combine(Path.GetTempPath(), "reasontools-logbench-" + Environment.ProcessId.ToString("D7", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, gzip ? "bench.log.gz" : "bench.log");
            var gen = Stopwatch.StartNew();
            long bytes = await Task.Run(() => system ? SystemLogLines.Generate(path, sizeMb << 20) : Generate(path, sizeMb << 20, gzip, distinct), cancellationToken);
            long fileBytes = new FileInfo(path).Length;
            Console.WriteLine($"generated {bytes / 1e6:F0} MB of log text ({fileBytes / 1e6:F0} MB on disk) in {gen.Elapsed.TotalSeconds:F1} s: {path}");
            Console.WriteLine($"peak RSS after generation: {PeakRssMb():F0} MB");
            if (stages) LogStageProfile.Run(path);

            var counts = new List<double>();
            var throughputs = new List<double>();
            var cpuThroughputs = new List<double>();
            LogReduction? reduction = null;
            for (int run = 1; run <= runs; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!gzip)
                {
                    var (lines, countMbps) = SystemLogLines.CountLines(path);
                    counts.Add(countMbps);
                    Console.WriteLine($"run {run} reference: plain line count of the same file {lines:N0} lines at {countMbps:F0} MB/s");
                }
                var reducer = new LogReducer();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var errors = LogReader.ReadInto(reducer, [LogSource.FromFile(path)], cancellationToken: cancellationToken);
                reduction = reducer.Complete();
                sw.Stop();
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (errors.Count > 0) { Console.Error.WriteLine(errors[0].Message); return 1; }
                double mbps = reduction.Totals.Bytes / 1e6 / sw.Elapsed.TotalSeconds;
                throughputs.Add(mbps);
                cpuThroughputs.Add(reduction.Totals.Bytes / 1e6 / cpuSeconds);
                Console.WriteLine($"run {run}: {reduction.Totals.Bytes / 1e6:F0} MB, {reduction.Totals.Lines:N0} lines in {sw.Elapsed.TotalSeconds:F2} s = {mbps:F0} MB/s wall; {cpuSeconds:F2} CPU-s = {cpuThroughputs[^1]:F0} MB per CPU-second; peak RSS so far {PeakRssMb():F0} MB");
            }

            var t = reduction!.Totals;
            Console.WriteLine($"records {t.Records:N0}, errors {t.Errors:N0}, warnings {t.Warnings:N0}, distinct templates {t.DistinctTemplates:N0} (kept {reduction.Templates.Count:N0}, evicted {t.EvictedTemplates:N0})");
            var psw = Stopwatch.StartNew();
            var prompt = LogPromptBuilder.Build(reduction, new LogPromptOptions { TokenBudget = 32768, ReserveForAnswer = 4096 }, s => (s.Length + 3) / 4);
            Console.WriteLine($"prompt: {prompt.Tokens:N0} tokens (chars/4), {prompt.IncludedRecords.Count} records, built in {psw.ElapsedMilliseconds} ms");
            Console.WriteLine($"first error: {reduction.FirstError?.Source}:{reduction.FirstError?.LineNumber}");
            Console.WriteLine($"reduction digest (equal digests: equal output; compare across versions): {Digest(reduction, prompt.Text, path)}");

            throughputs.Sort();
            cpuThroughputs.Sort();
            double best = throughputs[^1], median = throughputs[throughputs.Count / 2];
            // The machine is shared: wall time includes waiting for a core; CPU time shows what the code needs.
            Console.WriteLine($"load average now: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
            Console.WriteLine($"throughput per CPU-second best {cpuThroughputs[^1]:F0} MB/s, median {cpuThroughputs[cpuThroughputs.Count / 2]:F0} MB/s");
            double peak = PeakRssMb();
            Console.WriteLine();
            Console.WriteLine($"throughput best {best:F0} MB/s, median {median:F0} MB/s (target >= 200): {(best >= 200 ? "met" : "MISSED")}");
            if (counts.Count > 0)
            {
                counts.Sort();
                Console.WriteLine($"reference line count median {counts[counts.Count / 2]:F0} MB/s; reducer / line count = {median / counts[counts.Count / 2]:F3} (same file, same run)");
            }
            Console.WriteLine($"peak resident memory (VmHWM) {peak:F0} MB (target <= 200): {(peak <= 200 ? "met" : "MISSED")}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>SHA-256 of everything the reduction holds and of the prompt built from it, with the temp path taken
    /// out, so two versions of the reducer can be shown to give the same output on the same generated file (same
    /// temp folder: the path's length decides how much fits the prompt).</summary>
    private static string Digest(LogReduction reduction, string prompt, string path)
    {
        var text = new StringBuilder(prompt);
        foreach (var t in reduction.Templates)
            text.Append('\n').Append(t.Template).Append('|').Append(t.Severity).Append('|').Append(t.HasException).Append('|').Append(t.Count)
                .Append('|').Append(t.First).Append('|').Append(t.LastLineNumber).Append('|').Append(t.FirstTimestamp).Append('|').Append(t.LastTimestamp);
        text.Append('\n').Append(reduction.FirstError).Append('\n').Append(string.Join('\n', reduction.ContextBeforeFirstError)).Append('\n').Append(reduction.Totals);
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace(path, "<file>").ToString()));
        return Convert.ToHexString(hash)[..16];
    }

    /// <summary>GUIDs from the seeded generator: the same file, hence the same digest, on every run.</summary>
    private static Guid NextGuid(Random random, byte[] bytes)
    {
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    /// <summary>Writes a mixed log (log4j-style application lines, nginx access lines, Java stack traces, syslog,
    /// a few unique messages) until <paramref name="size"/> bytes of text; returns the text size.</summary>
    internal static long Generate(string path, long size, bool gzip, bool distinct)
    {
        Stream file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        if (gzip) file = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 20);
        var random = new Random(42);
        var time = new DateTime(2024, 1, 15, 8, 0, 0, DateTimeKind.Utc);
        var sb = new StringBuilder(512);
        long written = 0;
        string[] users = ["alice", "bob", "carol", "dave", "erin"];
        string[] paths = ["/api/orders", "/api/users", "/health", "/api/cart/items", "/static/app.js"];
        long n = 0;
        var guid = new byte[16];
        while (written < size)
        {
            n++;
            time = time.AddMilliseconds(random.Next(1, 40));
            sb.Clear();
            int kind = random.Next(1000);
            string ts = time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
            if (distinct && random.Next(2) == 0)
            {
                sb.Append(ts).Append(" INFO  [main] c.e.shop.Feed - ");
                for (int w = 0; w < 8; w++)
                {
                    for (int c = random.Next(3, 9); c > 0; c--) sb.Append((char)('a' + random.Next(26)));
                    sb.Append(' ');
                }
            }
            else if (kind < 450)
                sb.Append(ts).Append(" INFO  [http-nio-8080-exec-").Append(random.Next(1, 64)).Append("] c.e.shop.OrderService - Order ")
                  .Append(random.Next(100000, 999999)).Append(" placed by ").Append(users[random.Next(users.Length)]).Append(" total=")
                  .Append(random.Next(1, 99999) / 100.0).Append(" items=").Append(random.Next(1, 20));
            else if (kind < 650)
                sb.Append(ts).Append(" DEBUG [pool-2-thread-").Append(random.Next(1, 16)).Append("] c.e.shop.cache.RedisCache - cache hit key=session:")
                  .Append(NextGuid(random, guid).ToString("D")).Append(" ttl=").Append(random.Next(1, 3600)).Append("s");
            else if (kind < 850)
                sb.Append("10.0.").Append(random.Next(0, 255)).Append('.').Append(random.Next(1, 255)).Append(" - - [")
                  .Append(time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000] \"GET ")
                  .Append(paths[random.Next(paths.Length)]).Append('/').Append(random.Next(1, 5000)).Append(" HTTP/1.1\" ")
                  .Append(random.Next(100) < 97 ? 200 : 503).Append(' ').Append(random.Next(200, 90000)).Append(" \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"");
            else if (kind < 950)
                sb.Append(ts).Append(" WARN  [scheduler-1] c.e.shop.db.Pool - Connection to 10.0.3.").Append(random.Next(1, 9)).Append(":5432 slow: ")
                  .Append(random.Next(500, 5000)).Append(" ms (attempt ").Append(random.Next(1, 5)).Append(')');
            else if (kind < 990)
                sb.Append(time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" web01 kernel: [").Append(random.Next(1000, 99999))
                  .Append(".").Append(random.Next(100000, 999999)).Append("] eth0: link state changed, rx=0x").Append(random.Next().ToString("x8", CultureInfo.InvariantCulture));
            else if (kind < 998)
                sb.Append(ts).Append(" INFO  [main] c.e.shop.Unique - one-off event ").Append(n).Append(" for tenant t").Append(random.Next(1000));
            else
            {
                sb.Append(ts).Append(" ERROR [http-nio-8080-exec-").Append(random.Next(1, 64)).Append("] c.e.shop.PaymentClient - Payment failed for order ")
                  .Append(random.Next(100000, 999999)).Append('\n')
                  .Append("java.net.SocketTimeoutException: Read timed out after ").Append(random.Next(1000, 30000)).Append(" ms\n");
                for (int f = 0; f < 12; f++) sb.Append("\tat com.example.shop.payment.Client.call").Append(f).Append("(Client.java:").Append(100 + f).Append(")\n");
                sb.Append("\t... 42 more");
            }
            sb.Append('\n');
            foreach (var chunk in sb.GetChunks()) writer.Write(chunk.Span);
            written += sb.Length; // ASCII: one byte per char
        }
        return written;
    }
}
