using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Reasoning.Grading.Code;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>The options of <c>#!reason-compare</c> that occur once (the models are read from the line: see <see cref="DirectiveLine"/>).</summary>
public sealed class CompareReasonModels : KernelCommand
{
    public string? Prompts { get; set; }
    public string? MaxTokens { get; set; }
    public string? Temperature { get; set; }
    public string? TopP { get; set; }
    public string? Seed { get; set; }
    public string? Context { get; set; }
    public string? GpuLayers { get; set; }
    public string? Draft { get; set; }
    public string? Parallel { get; set; }
    public bool AllowUnsandboxedCode { get; set; }
}

/// <summary>
/// <c>#!reason-compare --model A --model B --prompts FILE</c>: every prompt of the set on each model; the grid fills
/// in row by row in one output, which ends as the comparison (grid, summary, charts), bound to <c>comparisonResult</c>.
/// </summary>
internal static class CompareDirective
{
    public const string Name = "#!reason-compare";
    public const string ResultVariable = "comparisonResult";
    // The same words as reason compare's --parallel and --allow-unsandboxed-code.
    public const string ParallelHelp = "Prompts of a local model generated together in one batch; 1 runs them one after another. Default: from the memory free for their KV caches and the cores (two a core, at most 8).";
    public const string AllowUnsandboxedHelp = "Run code answers with your own rights where no sandbox (bubblewrap, Linux) is available; on Windows in a job object with CPU, memory and process limits.";

    public static void AddTo(CompositeKernel root)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = "Ask every prompt of a prompt set of each model; answers graded, the table fills in row by row (bound to comparisonResult).",
        };
        directive.Parameters.Add(new KernelDirectiveParameter("--model", "A model to compare (repeat for each): a GGUF path, a size, a model name, an Ollama tag or a remote endpoint.") { MaxOccurrences = 16, Required = true });
        directive.Parameters.Add(new KernelDirectiveParameter("--prompts", "The prompt set file (JSON: name, prompts with id, prompt, expected, grader).") { Required = true });
        directive.Parameters.Add(new KernelDirectiveParameter("--max-tokens", "Most tokens to generate per prompt."));
        directive.Parameters.Add(new KernelDirectiveParameter("--temperature", $"Sampling temperature; 0 is greedy (default {ReasonDefaults.Temperature.ToString(CultureInfo.InvariantCulture)})."));
        directive.Parameters.Add(new KernelDirectiveParameter("--top-p", $"Nucleus sampling (default {ReasonDefaults.TopP.ToString(CultureInfo.InvariantCulture)})."));
        directive.Parameters.Add(new KernelDirectiveParameter("--seed", "Seed for reproducible sampling."));
        directive.Parameters.Add(new KernelDirectiveParameter("--context", $"Context size in tokens (default {ReasonDefaults.ContextSize})."));
        directive.Parameters.Add(new KernelDirectiveParameter("--gpu-layers", "Layers to offload to a GPU: a number (-1 for all, 0 for none), or auto (the default)."));
        directive.Parameters.Add(new KernelDirectiveParameter("--draft", ReasonKernel.DraftHelp));
        directive.Parameters.Add(new KernelDirectiveParameter("--parallel", ParallelHelp));
        directive.Parameters.Add(new KernelDirectiveParameter("--allow-unsandboxed-code", AllowUnsandboxedHelp) { Flag = true });
        root.AddDirective<CompareReasonModels>(directive, HandleAsync);
    }

    private static async Task HandleAsync(CompareReasonModels command, KernelInvocationContext context)
    {
        try
        {
            var result = await RunAsync(command, context).ConfigureAwait(false);
            await CellValues.BindAsync(context.HandlingKernel, ResultVariable, result).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            context.Fail(command, null, NotebookErrors.Describe(e));
        }
    }

    private static async Task<ComparisonResult> RunAsync(CompareReasonModels command, KernelInvocationContext context)
    {
        var kernel = context.HandlingKernel;
        var cell = (command.Parent as SubmitCode)?.Code ?? "";
        var models = DirectiveLine.Values(cell, Name, "--model").SelectMany(m => DirectiveLine.Expand(kernel, "--model", m)).ToList();
        if (models.Count == 0) throw new ArgumentException("No models to compare: give them as #!reason-compare --model A --model B --prompts FILE (or --model @csharp:list). To get one: reason pull 1.5b, or Save-ReasonModel 1.5B.");
        var parameters = new CellParameters(new Dictionary<string, string>
        {
            ["--prompts"] = command.Prompts ?? "", ["--max-tokens"] = command.MaxTokens ?? "", ["--temperature"] = command.Temperature ?? "",
            ["--seed"] = command.Seed ?? "", ["--context"] = command.Context ?? "", ["--top-p"] = command.TopP ?? "", ["--gpu-layers"] = command.GpuLayers ?? "", ["--draft"] = command.Draft ?? "",
            ["--parallel"] = command.Parallel ?? "",
        }, kernel);
        var promptsPath = parameters.Text("--prompts") ?? throw new ArgumentException("Give the prompt set: --prompts FILE.");
        var request = new ComparisonRequest
        {
            Models = models,
            PromptSet = PromptSet.Load(promptsPath),
            Parallel = parameters.Int("--parallel", 1),
            CodeExecution = new CodeExecutionOptions { AllowUnsandboxed = command.AllowUnsandboxedCode },
            Engine = new EngineOptions
            {
                ContextSize = parameters.Int("--context", 64) ?? ReasonDefaults.ContextSize,
                GpuLayers = parameters.GpuLayers("--gpu-layers"),
                Draft = DraftChoice.Parse(parameters.Text("--draft")),
            },
            Sampling = new ReasonRequest
            {
                MaxTokens = parameters.Int("--max-tokens", 1),
                Temperature = parameters.Float("--temperature", 0) ?? ReasonDefaults.Temperature,
                TopP = parameters.Float("--top-p", 0) ?? ReasonDefaults.TopP,
                Seed = parameters.UInt("--seed"),
            },
        };

        var output = new LiveOutput(context);
        var rows = new List<ComparisonRow>();
        ComparisonResult? result = null;
        var status = $"Starting: {Wording.Plural(models.Count, "model")} × {Wording.Plural(request.PromptSet.Prompts.Count, "prompt")}…";
        output.Show(LiveHtml.Comparison(SoFar(request.PromptSet.Name, rows), status), force: true);
        await foreach (var update in ComparisonRunner.RunAsync(request, context.CancellationToken).ConfigureAwait(false))
        {
            var force = true;
            switch (update.Kind)
            {
                case ComparisonUpdateKind.ModelLoading:
                    status = $"Loading {update.Model}… ({update.Completed} of {update.Total} answers done)";
                    break;
                case ComparisonUpdateKind.PromptStarted:
                    status = $"{update.Model}: {update.PromptId}… ({update.Completed} of {update.Total} answers done)";
                    break;
                case ComparisonUpdateKind.Row:
                    rows.Add(update.Row!.WordFailure(NotebookErrors.Describe));
                    status = $"{update.Completed} of {update.Total} answers done";
                    break;
                case ComparisonUpdateKind.Completed:
                    result = update.Result!.WordFailures(NotebookErrors.Describe);
                    continue;
                default:
                    force = false;
                    break;
            }
            if (force) output.Show(LiveHtml.Comparison(SoFar(request.PromptSet.Name, rows), status), force: true);
        }
        if (result is null) throw new InvalidOperationException("The comparison ended without a result.");
        output.Complete(result);
        return result;
    }

    private static ComparisonResult SoFar(string name, List<ComparisonRow> rows) =>
        new(name, [.. rows], ComparisonRunner.Summarize(rows));
}
