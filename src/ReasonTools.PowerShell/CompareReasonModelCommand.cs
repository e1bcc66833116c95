using System.Management.Automation;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Models;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Asks several models the same questions and compares their answers, accuracy and speed.</summary>
/// <remarks>
/// <para>Compare-ReasonModel runs every prompt on each model in turn (several prompts of a local model at once in one
/// batch, see -Parallel) and writes
/// one ComparisonRow for each model and prompt as soon as it is done, then one ComparisonSummary per model with
/// its accuracy and mean speed. Prompts with an expected answer are graded; the others have an empty Correct.</para>
/// <para>A model that cannot run (missing file, invalid GGUF, not enough memory) writes one non-terminating error that
/// says why, and its rows and summary say "not run" (its summary's NotRunReason holds the reason, its Accuracy is
/// empty); the other models still run. Progress is shown across the whole model × prompt matrix.</para>
/// <para>A prompt set is a JSON file: { "name": "...", "prompts": [ { "id", "prompt", "expected", "grader" } ] }
/// with grader text, number, choice or regex (see about_ReasonTools).</para>
/// <para>The full ReasonResult behind each row is in its Result property. Pipe the output to Export-ReasonReport
/// for an HTML report with charts.</para>
/// </remarks>
/// <example>
/// <para>Compare two model files on a prompt set</para>
/// <code>Compare-ReasonModel -Model ./r1-1.5b.gguf, ./r1-7b.gguf -PromptSet ./prompts/math.json</code>
/// <para>Writes a row per model and prompt, then a summary per model.</para>
/// </example>
/// <example>
/// <para>One question, several models, summaries only</para>
/// <code>Compare-ReasonModel -Model (Get-ChildItem *.gguf) -Prompt 'What is 2^10?' | Where-Object { $_ -is [ReasonTools.Core.Comparison.ComparisonSummary] }</code>
/// </example>
/// <example>
/// <para>Compare catalog sizes and save a report</para>
/// <code>Compare-ReasonModel -Size 1.5B,7B -PromptSet ./prompts/math.json | Export-ReasonReport -Path ./compare.html</code>
/// </example>
[Cmdlet(VerbsData.Compare, "ReasonModel", DefaultParameterSetName = ModelPromptSet)]
[OutputType(typeof(ComparisonRow), typeof(ComparisonSummary))]
public sealed class CompareReasonModelCommand : ModelRunCmdlet
{
    private const string ModelPrompt = "ModelPrompt";
    private const string ModelPromptSet = "ModelPromptSet";
    private const string SizePrompt = "SizePrompt";
    private const string SizePromptSet = "SizePromptSet";
    private const string Activity = "Compare-ReasonModel";
    private const int OverallId = 1;
    private const int CellId = 2;

    /// <summary>
    /// The models to compare, in the order their rows should appear: .gguf paths, or models found on this machine named by
    /// size, full name or Ollama tag (Get-ReasonModel lists them), or remote models (openai:..., ollama:...).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelPrompt)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelPromptSet)]
    [ArgumentCompleter(typeof(ModelArgumentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = [];

    /// <summary>
    /// Catalog sizes of DeepSeek-R1-Distill to compare, such as 1.5B, 7B and 32B, each run from the copy found on this
    /// machine. A size that is not here is not run: an error says so (Save-ReasonModel downloads it).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = SizePrompt)]
    [Parameter(Mandatory = true, ParameterSetName = SizePromptSet)]
    [ValidateCatalogSize]
    [ArgumentCompleter(typeof(CatalogSizeCompleter))]
    public string[] Size { get; set; } = [];

    /// <summary>One question to ask every model (not graded).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ModelPrompt)]
    [Parameter(Mandatory = true, ParameterSetName = SizePrompt)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "";

    /// <summary>A prompt set file (JSON) with the questions, their expected answers and how to grade them.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ModelPromptSet)]
    [Parameter(Mandatory = true, ParameterSetName = SizePromptSet)]
    [ValidateNotNullOrEmpty]
    public string PromptSet { get; set; } = "";

    /// <summary>
    /// Run code answers (python, javascript and browser graders) with your own rights where no sandbox is available.
    /// Linux isolates them with bubblewrap; on Windows they then run in a job object (CPU time, memory and process
    /// limits, no UI access) that does not keep them from your files or the network; elsewhere only the wall-time and
    /// output limits hold. Without it such rows say the code was not run and name this switch.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowUnsandboxedCode { get; set; }

    /// <summary>
    /// Prompts of a local model generated together, one token of each per step of one batch: on a CPU, where generation
    /// waits on memory, several answers cost little more time than one. 1 runs the prompts one after another. Rows are
    /// the same either way at temperature 0, and come in the prompt set's order.
    /// </summary>
    /// <value>Chosen from the memory free for the extra KV caches and the logical cores (two a core, at most 8).</value>
    [Parameter]
    [ValidateRange(1, Core.Inference.ParallelSequences.Max)]
    public int? Parallel { get; set; }

    /// <summary>Runs the matrix and writes rows as they finish, then the summaries.</summary>
    protected override void EndProcessing()
    {
        ComparisonRequest request;
        try
        {
            request = new ComparisonRequest
            {
                Models = ResolveModels(),
                PromptSet = LoadPrompts(),
                Engine = EngineOptions(),
                KeepAlive = KeepAlive,
                Parallel = Parallel,
                Sampling = SamplingRequest(),
                CodeExecution = new Core.Reasoning.Grading.Code.CodeExecutionOptions { AllowUnsandboxed = AllowUnsandboxedCode.IsPresent },
            };
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Size.Length > 0 ? Size : Model));
            return;
        }

        ComparisonResult? result = null;
        ReasonProgress? cell = null;
        using (var pump = UpdatePump<ComparisonUpdate>.Start(token => ComparisonRunner.RunAsync(request, token), StopToken))
        {
            try
            {
                foreach (var update in pump.Drain())
                {
                    switch (update.Kind)
                    {
                        case ComparisonUpdateKind.ModelNotRun:
                            // Once per model, besides its rows: scripts see it in $Error and -ErrorAction applies.
                            WriteError(ReasonErrors.ToErrorRecord(update.Failure!.Error, update.Model));
                            break;
                        case ComparisonUpdateKind.Row:
                            // "could not run: ... Download it with: Save-ReasonModel -Model 7B": the cmdlet to run here.
                            WriteObject(update.Row!.WordFailure(ReasonErrors.Describe));
                            break;
                        case ComparisonUpdateKind.Completed:
                            result = update.Result;
                            break;
                        case ComparisonUpdateKind.ModelLoading or ComparisonUpdateKind.PromptStarted:
                            cell = new ReasonProgress(update.Model, MaxTokens);
                            WriteProgressState(OverallId, Activity, ComparisonProgress.Overall(update));
                            // The nested bar starts afresh for each cell, so the last prompt's tokens never stand for this one.
                            WriteProgressState(CellId, ComparisonProgress.CellActivity(update), ComparisonProgress.CellStart(update), OverallId);
                            break;
                        case ComparisonUpdateKind.Generation when update.Generation is not null:
                            if (cell?.Next(update.Generation) is { } state)
                                WriteProgressState(CellId, ComparisonProgress.CellActivity(update), state, OverallId);
                            break;
                    }
                }
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                CompleteProgress(CellId, Activity);
                CompleteProgress(OverallId, Activity);
                ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, request.Models));
            }
        }
        CompleteProgress(CellId, Activity);
        CompleteProgress(OverallId, Activity);
        if (result is not null) WriteObject(result.Summary.Select(summary => summary.WordFailure(ReasonErrors.Describe)), enumerateCollection: true);
    }

    private List<string> ResolveModels() => (Size.Length > 0 ? Size : Model).Select(ResolveForComparison).ToList();

    // A model that cannot be found (a missing file, a size not downloaded, an ambiguous name) is passed on as it is, so
    // the runner reports it as not run, with the reason, and the other models still run.
    private string ResolveForComparison(string reference)
    {
        try
        {
            return ModelReference.ResolvePath(reference, ProviderPath);
        }
        catch (ReasonFailure e) when (e.Kind is FailureKind.ModelNotFound or FailureKind.BadInput)
        {
            WriteVerbose($"{reference}: {ReasonErrors.Describe(e)}");
            return e is ModelFileNotFoundException missing ? missing.Path : reference;
        }
    }

    private PromptSet LoadPrompts() => string.IsNullOrEmpty(PromptSet)
        ? new PromptSet("prompt", [new PromptSetItem("1", Prompt, null, GraderKind.Text)])
        : Core.Comparison.PromptSet.Load(ProviderPath(PromptSet));
}
