using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace ReasonTools.PowerShell.Tests;

/// <summary>
/// PowerShell 7 hosted in the test process with the assembled module imported, and a host that records what
/// cmdlets write to it (-WhatIf messages, streamed tokens).
/// </summary>
internal sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace _runspace;

    public HostedPowerShell()
    {
        Host = new RecordingHost();
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
        var import = Run($"Import-Module '{TestPaths.Manifest}' -ErrorAction Stop");
        if (import.Errors.Count > 0) throw new InvalidOperationException($"Import-Module failed: {import.Errors[0]}");
    }

    public RecordingHost Host { get; }

    /// <summary>Runs a script; errors (terminating ones included) are collected, not thrown.</summary>
    public RunResult Run(string script, Action<System.Management.Automation.PowerShell>? whileRunning = null)
    {
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        IReadOnlyList<PSObject> output = [];
        var errors = new List<ErrorRecord>();
        Exception? stopped = null;
        // What a stopped pipeline wrote before it stopped is kept, as a console shows it.
        using var written = new PSDataCollection<PSObject>();
        try
        {
            if (whileRunning is null)
            {
                output = shell.Invoke();
            }
            else
            {
                var async = shell.BeginInvoke<PSObject, PSObject>(null, written);
                whileRunning(shell);
                try
                {
                    shell.EndInvoke(async);
                }
                finally
                {
                    output = written.ToList();
                }
            }
        }
        catch (PipelineStoppedException e)
        {
            stopped = e;
        }
        catch (RuntimeException e)
        {
            errors.Add(e.ErrorRecord);
        }
        errors.AddRange(shell.Streams.Error);
        return new RunResult(output.Select(o => o?.BaseObject).ToList(), errors, shell.Streams.Progress.ToList(), stopped)
        {
            Warnings = shell.Streams.Warning.Select(w => w.Message).ToList(),
            Verbose = shell.Streams.Verbose.Select(v => v.Message).ToList(),
        };
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record RunResult(IReadOnlyList<object?> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<ProgressRecord> Progress, Exception? Stopped)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyList<string> Verbose { get; init; } = [];
}

/// <summary>A host with no raw UI that keeps everything written to it.</summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUI _ui = new();

    public string Written => _ui.Text;

    /// <summary>Raised on every write, from the pipeline thread.</summary>
    public event Action<string>? OnWrite
    {
        add => _ui.OnWrite += value;
        remove => _ui.OnWrite -= value;
    }

    public override string Name => "ReasonTools.Tests";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingUI : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();

        public event Action<string>? OnWrite;

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override void Write(string value)
        {
            lock (_text) _text.Append(value);
            OnWrite?.Invoke(value);
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteLine(string value) => Write(value + "\n");
        public override void WriteErrorLine(string value) => Write(value + "\n");
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) => Write("WARNING: " + message + "\n");
        public override string ReadLine() => throw new NotSupportedException("The tests never prompt.");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The tests never prompt.");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The tests never prompt.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The tests never prompt.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The tests never prompt.");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The tests never prompt.");
    }
}
