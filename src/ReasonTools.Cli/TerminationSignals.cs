using System.Runtime.InteropServices;

namespace ReasonTools.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM: the first one cancels <see cref="Token"/>, so the running command ends on its own
/// path (partial results written, terminal attributes reset, exit 130); a second one ends the process at once,
/// after resetting the terminal.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>Resets colours and dimming (SGR 0).</summary>
    public const string ResetAttributes = "\x1b[0m";
    /// <summary>Leaves keypad application mode (the cursor and keypad keys send their normal codes again).</summary>
    public const string ResetKeypad = "\x1b[?1l\x1b>";

    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    private TerminationSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Starts handling both signals until disposed.</summary>
    public static TerminationSignals Register() => new();

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            context.Cancel = true;
            _cancellation.Cancel();
            return;
        }
        // The second signal: the user wants out now. The default action ends the process; leave the terminal usable.
        ResetTerminal();
        context.Cancel = false;
    }

    /// <summary>Undoes what the tool may have set on a terminal (dimmed text, keypad mode); nothing when redirected.</summary>
    public static void ResetTerminal()
    {
        if (Console.IsErrorRedirected) return;
        Console.Error.Write(ResetAttributes + (Console.IsInputRedirected ? "" : ResetKeypad));
        Console.Error.Flush();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancellation.Dispose();
    }
}
