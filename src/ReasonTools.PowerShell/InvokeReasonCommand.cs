using System.Management.Automation;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.PowerShell.Internal;
using ReasonTools.Reports;

namespace ReasonTools.PowerShell;

/// <summary>Asks a DeepSeek-R1 reasoning model a question and returns its reasoning chain and answer apart.</summary>
/// <remarks>
/// <para>Invoke-Reason loads a GGUF model through llama.cpp, sends the question (with any piped text or files
/// attached) in the model's chat template, and returns one ReasonResult: the thinking, the answer, the extracted
/// final answer, the finish reason and the timings. The model stays loaded for -KeepAlive (5 minutes) after the
/// command, so the next command on it does not load it again; Stop-ReasonModel unloads it.</para>
/// <para>Lines piped in as strings (the output of Get-Content) are gathered into one document. Files piped in
/// (FileInfo objects from Get-ChildItem) or named with -Path are each attached as their own document. A file
/// that cannot be read is reported and skipped; the others are still used.</para>
/// <para>-ShowThinking writes the reasoning chain to the host while it is generated, in a dim colour; -Stream
/// writes the answer as it is generated. Either way the ReasonResult is still written to the pipeline.</para>
/// <para>-WhatIf shows the exact prompt the model would be given, without loading its weights. Ctrl+C stops the
/// generation within one token and frees its memory. PowerShell lets a stopped command write nothing more, so the partial
/// result is not written to the pipeline: to see a long answer as it comes, use -Stream and -ShowThinking.</para>
/// <para>-Verbose says which model file runs with which settings (context, threads, GPU layers and why that many), then each
/// phase with its time: loading, processing the prompt, thinking, answering. Progress shows the same phases as they happen.</para>
/// <para>A result whose FinishReason is Length was cut by the token limit: -MaxTokens raises it (or -ContextSize, when the
/// context left fewer tokens after the prompt); -Verbose says which.</para>
/// </remarks>
/// <example>
/// <para>Ask a question</para>
/// <code>Invoke-Reason 'What is 17 * 23?' -Model ./DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf</code>
/// <para>Returns a ReasonResult; its FinalAnswer property holds the extracted answer.</para>
/// </example>
/// <example>
/// <para>Find the cause of a failure in a log</para>
/// <code>Get-Content ./app.log | Invoke-Reason -Task LogAnalysis -Model ./r1-7b.gguf</code>
/// <para>The lines of app.log are gathered into one document and the model is asked for the root cause.</para>
/// </example>
/// <example>
/// <para>Watch the model think</para>
/// <code>Invoke-Reason 'Is 1001 prime?' -Model ./r1-1.5b.gguf -ShowThinking -Stream | Select-Object FinalAnswer, FinishReason</code>
/// <para>The reasoning chain (dim) and the answer are written to the host as they are generated; the result still
/// goes down the pipeline.</para>
/// </example>
/// <example>
/// <para>Attach several files</para>
/// <code>Get-ChildItem ./logs/*.log | Invoke-Reason 'Which of these services failed first?' -Model ./r1-7b.gguf</code>
/// <para>Each file becomes its own document, named by its file name.</para>
/// </example>
/// <example>
/// <para>Ask a follow-up question</para>
/// <code>$first = Invoke-Reason 'What is 17 * 23?' -Model 1.5b; $first | Invoke-Reason 'And 17 * 24?' -Model 1.5b</code>
/// <para>The second call finds the model still loaded (Timings.Resident, LoadMs 0), sends back the first answer but not
/// its chain, and reads only the new part of the prompt (Timings.ReusedPromptTokens).</para>
/// </example>
/// <example>
/// <para>See the exact prompt without running the model</para>
/// <code>Invoke-Reason 'Summarise this.' -Path ./notes.txt -Model ./r1-7b.gguf -WhatIf</code>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "Reason", SupportsShouldProcess = true, DefaultParameterSetName = TextSet)]
[OutputType(typeof(ReasonResult))]
public sealed class InvokeReasonCommand : ModelRunCmdlet
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string Activity = "Invoke-Reason";
    private const int ProgressId = 1;

    private readonly PipelineDocuments _documents = new();

    /// <summary>The question. Piped text and files are attached after it; without it, a single piped document is the question.</summary>
    [Parameter(Position = 0)]
    [AllowEmptyString]
    public string? Prompt { get; set; }

    /// <summary>
    /// The model: the path of a .gguf file, or a model found on this machine named by catalog size (7b), full name
    /// (DeepSeek-R1-Distill-Qwen-7B-Q8_0) or Ollama tag (deepseek-r1:7b); or a remote model (openai:..., ollama:..., or an
    /// endpoint named in the settings). Tab completion offers the .gguf files of the folder and the catalog sizes.
    /// </summary>
    /// <value>The largest DeepSeek-R1-Distill model found on this machine that fits it (-Verbose names it).</value>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ModelArgumentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    /// <summary>
    /// Text piped in; each string is one line, and all of them together form one document. A ReasonResult piped in is
    /// the conversation to continue, as with -Continue.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Files to attach, each as its own document. FileInfo objects piped from Get-ChildItem bind here.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    /// <summary>What kind of question this is. LogAnalysis reduces the attached text to what matters and asks for the root cause.</summary>
    /// <value>General</value>
    [Parameter]
    public ReasonTask Task { get; set; } = ReasonTask.General;

    /// <summary>Writes the answer to the host as it is generated.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>Writes the reasoning chain to the host, in a dim colour, as it is generated.</summary>
    [Parameter]
    public SwitchParameter ShowThinking { get; set; }

    /// <summary>
    /// A previous result to follow up: its prompts and answers go before this question (its reasoning chain does not,
    /// as DeepSeek advises), and the part of the prompt the model already read is not read again. A result piped in does the same.
    /// </summary>
    [Parameter(ParameterSetName = TextSet)]
    public ReasonResult? Continue { get; set; }

    private ReasonResult? _previous;
    private bool _sawFiles;

    /// <summary>Gathers piped text, and reads each file as it arrives.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet)
        {
            // A piped result is the conversation to continue and a piped file is attached by path; any other object is a line of text.
            switch (InputObject?.BaseObject)
            {
                case ReasonResult piped:
                    _previous = piped;
                    break;
                case FileInfo file:
                    _sawFiles = true;
                    AddFiles([file.FullName]);
                    break;
                default:
                    _documents.AddLine(InputObject is null ? null : LanguagePrimitives.ConvertTo<string>(InputObject));
                    break;
            }
            return;
        }
        AddFiles(ResolveInputPaths());
    }

    private void AddFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                // Opened here so that one unreadable file is this item's error, not the whole run's.
                using (File.OpenRead(path)) _documents.AddFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(ReasonErrors.Create(ReasonErrors.InputFileUnreadable(path, e), e, path));
            }
        }
    }

    /// <summary>Runs the model once over everything gathered.</summary>
    protected override void EndProcessing()
    {
        if ((ParameterSetName == PathSet || _sawFiles) && _documents.Files.Count == 0 && string.IsNullOrWhiteSpace(Prompt))
            ThrowTerminatingError(ReasonErrors.Create(new ErrorSpec("NoInputFile", ErrorCategory.ObjectNotFound,
                "None of the files given could be read.", "Check the paths given to -Path; the errors above name each file."), null, Path));
        ReasonInvocation invocation;
        string? prompt = null;
        try
        {
            invocation = new ReasonInvocation
            {
                Model = string.IsNullOrEmpty(Model) ? BestLocalModel() : ModelReference.ResolvePath(Model, ProviderPath),
                Question = Prompt,
                Documents = _documents.ToDocuments(),
                Files = _documents.Files,
                Task = Task,
                Engine = EngineOptions(),
                Sampling = SamplingRequest(),
                Continue = _previous ?? Continue,
                KeepAlive = KeepAlive,
            };
            // The preview reads every input (a log is reduced) and the model's chat template: only for -WhatIf.
            if (WhatIfRequested())
                prompt = ReasonService.PreviewPromptAsync(invocation, StopToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Model));
            return;
        }

        var modelName = ModelReference.DisplayName(invocation.Model);
        var description = TerminalText.Clean(prompt is null ? $"Run {modelName}." : $"Run {modelName} on this prompt:{Environment.NewLine}{prompt}");
        if (!ShouldProcess(description, $"Run {modelName}?", "Invoke-Reason"))
            return;

        Run(invocation, modelName);
    }

    // No -Model: the largest R1-distill model found on this machine that fits it and is fast enough (as `reason run`).
    private string BestLocalModel()
    {
        var choice = ModelResolver.ChooseBestLocalAsync(ContextSize, StopToken).GetAwaiter().GetResult();
        WriteVerbose($"Using {choice.Candidate.Path} ({choice.Reason}).");
        return choice.Candidate.Path!;
    }

    private bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true } || value is true
            : SessionState.PSVariable.GetValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };

    private void Run(ReasonInvocation invocation, string modelName)
    {
        var progress = new ReasonProgress(modelName, MaxTokens);
        var verbose = new VerboseRun(threadsGiven: Threads is not null);
        var echo = new TokenEcho(Stream.IsPresent, ShowThinking.IsPresent);
        ReasonResult? result = null;
        using (var pump = UpdatePump<ReasonUpdate>.Start(token => ReasonService.StreamAsync(invocation, token), StopToken))
        {
            try
            {
                foreach (var update in pump.Drain())
                {
                    foreach (var line in verbose.Next(update)) WriteVerbose(line);
                    if (update.Kind == ReasonUpdateKind.Completed)
                    {
                        result = update.Result;
                        continue;
                    }
                    if (progress.Next(update) is { } state) WriteProgressState(ProgressId, Activity, state);
                    if (update.Kind == ReasonUpdateKind.Token && !echo.IsSilent)
                        foreach (var segment in echo.Token(update.IsThinking, update.Text)) Echo(segment);
                }
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                CompleteProgress(ProgressId, Activity);
                ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, invocation.Model));
            }
        }
        foreach (var segment in echo.Finish()) Echo(segment);
        CompleteProgress(ProgressId, Activity);
        if (result is null) return;
        if (TokenLimit.Of(result) is { } limit) WriteWarning(Capitalized(limit.Describe(PowerShellWording.Instance)) + ".");
        WriteObject(result);
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private void Echo(EchoSegment segment)
    {
        if (!segment.Dim)
        {
            Host.UI.Write(TerminalText.Clean(segment.Text));
            return;
        }
        // Hosts without a raw UI (hosted runspaces, some remoting hosts) get the thinking without colour.
        ConsoleColor? background;
        try
        {
            background = Host.UI.RawUI?.BackgroundColor;
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
        {
            background = null;
        }
        if (background is null)
        {
            Host.UI.Write(TerminalText.Clean(segment.Text));
            return;
        }
        Host.UI.Write(ConsoleColor.DarkGray, background.Value, TerminalText.Clean(segment.Text));
    }

    private IEnumerable<string> ResolveInputPaths()
    {
        foreach (var path in Path)
        {
            List<string> resolved;
            try
            {
                resolved = [.. GetResolvedProviderPathFromPSPath(path, out _)];
            }
            catch (Exception e) when (e is ItemNotFoundException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSNotSupportedException)
            {
                WriteError(ReasonErrors.Create(ReasonErrors.InputFileUnreadable(path, e), e, path));
                continue;
            }
            foreach (var file in resolved) yield return file;
        }
    }
}
