using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ReasonTools.Core.Native;

/// <summary>llama.cpp's log levels (ggml_log_level).</summary>
public enum LlamaLogLevel { None = 0, Debug = 1, Info = 2, Warn = 3, Error = 4 }

/// <summary>
/// Routes llama.cpp's and ggml's log output to our own sink. Quiet by default; <see cref="Message"/>
/// subscribers see every line. The last error lines of the current thread are kept so that a failure
/// can be reported with llama.cpp's own words.
/// </summary>
public static class LlamaLog
{
    /// <summary>Raised for every complete log line (on the thread llama.cpp logged from).</summary>
    public static event Action<LlamaLogLevel, string>? Message;

    [ThreadStatic] private static StringBuilder? _pendingLine;
    [ThreadStatic] private static LlamaLogLevel _pendingLevel;
    [ThreadStatic] private static Queue<string>? _recentErrors;
    private const int RecentErrorCapacity = 16;

    internal static unsafe void Install() =>
        Llama.LogSet(&OnLog, null);

    /// <summary>Removes and returns the error (and warning) lines logged on this thread since the last call.</summary>
    internal static string TakeRecentErrors()
    {
        FlushPending();
        if (_recentErrors is not { Count: > 0 } q) return "";
        var text = string.Join(" ", q);
        q.Clear();
        return text;
    }

    internal static void ClearRecentErrors()
    {
        _pendingLine?.Clear();
        _recentErrors?.Clear();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnLog(int level, byte* text, void* userData)
    {
        try
        {
            var piece = Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
            var line = _pendingLine ??= new StringBuilder();
            if (level != 5 /* GGML_LOG_LEVEL_CONT */) _pendingLevel = (LlamaLogLevel)level;
            line.Append(piece);
            if (piece.EndsWith('\n')) FlushPending();
        }
        catch
        {
            // An exception must never unwind into native code.
        }
    }

    private static void FlushPending()
    {
        if (_pendingLine is not { Length: > 0 } line) return;
        var text = line.ToString().TrimEnd('\n', '\r');
        line.Clear();
        if (_pendingLevel >= LlamaLogLevel.Warn && text.Length > 0)
        {
            var q = _recentErrors ??= new Queue<string>();
            if (q.Count == RecentErrorCapacity) q.Dequeue();
            q.Enqueue(text.Trim());
        }
        if (Environment.GetEnvironmentVariable("REASONTOOLS_LLAMA_LOG") is "1" or "true")
            Console.Error.WriteLine($"llama.cpp [{_pendingLevel}] {text}");
        Message?.Invoke(_pendingLevel, text);
    }
}
