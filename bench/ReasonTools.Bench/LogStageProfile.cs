using System.Diagnostics;
using ReasonTools.Core.Logs;

namespace ReasonTools.Bench;

/// <summary>
/// Where the log reducer's time goes: each stage run alone on one thread over the same file (split and decode;
/// plus classification; plus masking; the whole sequential reducer), so each stage's cost is the difference to the
/// one before. CPU time is reported beside wall time because the machine is shared.
/// </summary>
internal static class LogStageProfile
{
    public static void Run(string path)
    {
        var options = new LogReducerOptions();
        var key = new char[options.MaxTemplateChars];
        Measure("split + decode", path, (line, _) => line.Length);
        Measure("+ classify", path, (line, _) => LogReducer.IsBlank(line) ? 0 : (int)LogLineClassifier.Classify(line).Severity);
        Measure("+ classify + mask", path, (line, _) =>
        {
            if (LogReducer.IsBlank(line)) return 0;
            var header = LogLineClassifier.Classify(line);
            return header.StartsRecord ? LogReducer.MaskHeaderLine(line, header, options, key) : 0;
        });
        var reducer = new LogReducer(options);
        Measure("+ group and count (all)", path, (line, number) =>
        {
            var header = LogReducer.IsBlank(line) ? default : LogLineClassifier.Classify(line);
            bool masked = header.StartsRecord && header.Kind != LogLineKind.JournalExport;
            int n = masked ? LogReducer.MaskHeaderLine(line, header, options, key) : 0;
            reducer.AddClassified(path, number, line, header, key.AsSpan(0, n), masked);
            return 0;
        });
        reducer.Complete();
    }

    private delegate int LineStage(ReadOnlySpan<char> line, long lineNumber);

    private static void Measure(string stage, string path, LineStage work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long bytes = 0, sink = 0;
        using (var splitter = LogLineSplitter.Open(LogSource.FromFile(path), new LogReaderOptions().MaxLineChars))
        {
            while (splitter.MoveNext())
            {
                var line = splitter.Current;
                bytes += line.Length + 1;
                sink += work(line, splitter.LineNumber);
            }
        }
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"stage {stage,-28} {bytes / 1e6 / watch.Elapsed.TotalSeconds,6:F0} MB/s wall, {bytes / 1e6 / cpuSeconds,6:F0} MB per CPU-second ({sink % 7})");
    }
}
