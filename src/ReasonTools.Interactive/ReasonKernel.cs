using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Formatting;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Models;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>
/// The <c>#!reason</c> kernel: the cell's text is the prompt. The reasoning chain streams into one output that is
/// replaced, when the answer is complete, by the result (chain folded, answer, timings); the result is also the C#
/// variable <c>reasonResult</c>. The model stays loaded for the next cell (<see cref="ResidentModels"/>).
/// </summary>
internal sealed class ReasonKernel : Kernel, IKernelCommandHandler<SubmitCode>
{
    public const string DefaultName = "reason";

    /// <summary>The C# variable the last result is bound to.</summary>
    public const string ResultVariable = "reasonResult";

    private readonly ResidentModels _models;
    private KernelSpecifierDirective? _directive;

    public ReasonKernel(ResidentModels models) : base(DefaultName)
    {
        _models = models;
        KernelInfo.DisplayName = "ReasonTools (DeepSeek-R1 through llama.cpp)";
        KernelInfo.LanguageName = "text";
        KernelInfo.Description = "The cell's text is the question; the reasoning chain streams, then the answer and the timings.";
    }

    /// <summary>What <c>--draft</c> takes, as the <c>reason</c> command words it.</summary>
    internal const string DraftHelp = "Speculative decoding: auto (the default: the smallest local model of the same vocabulary, at least 4x smaller, when both fit), none, ngram (prompt lookup, no second model), or a draft model's path or name.";

    public override KernelSpecifierDirective KernelSpecifierDirective => _directive ??= CreateDirective(base.KernelSpecifierDirective);

    private static KernelSpecifierDirective CreateDirective(KernelSpecifierDirective directive)
    {
        directive.Description = "Ask a DeepSeek-R1 model the cell's text; the chain streams, then the answer and timings (bound to reasonResult).";
        directive.Parameters.Add(new KernelDirectiveParameter("--model", "A GGUF path, a size (1.5b, 7b, 32b), a model name, an Ollama tag or a remote endpoint. Default: the best model found locally that this machine runs."));
        directive.Parameters.Add(new KernelDirectiveParameter("--max-tokens", "Most tokens to generate (default: what the context leaves)."));
        directive.Parameters.Add(new KernelDirectiveParameter("--temperature", $"Sampling temperature; 0 is greedy. DeepSeek advises {ReasonDefaults.Temperature.ToString(CultureInfo.InvariantCulture)} for R1."));
        directive.Parameters.Add(new KernelDirectiveParameter("--top-p", $"Nucleus sampling; DeepSeek advises {ReasonDefaults.TopP.ToString(CultureInfo.InvariantCulture)} for R1."));
        directive.Parameters.Add(new KernelDirectiveParameter("--seed", "Seed for reproducible sampling."));
        directive.Parameters.Add(new KernelDirectiveParameter("--context", $"Context size in tokens (default {ReasonDefaults.ContextSize})."));
        directive.Parameters.Add(new KernelDirectiveParameter("--gpu-layers", "Layers to offload to a GPU: a number (-1 for all, 0 for none), or auto (the default)."));
        directive.Parameters.Add(new KernelDirectiveParameter("--draft", DraftHelp));
        return directive;
    }

    async Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        try
        {
            var result = await RunAsync(command, context).ConfigureAwait(false);
            await CellValues.BindAsync(this, ResultVariable, result).ConfigureAwait(false);
            if (result.FinishReason == FinishReason.Cancelled) context.Fail(command, null, "Cancelled: the output above keeps what was generated.");
            // As the other fronts do: the chain or answer was cut, and which option of this cell raises the limit.
            if (TokenLimit.Of(result) is { } limit) KernelInvocationContextExtensions.Display(context, LimitSentence(limit), PlainTextFormatter.MimeType);
        }
        catch (Exception e)
        {
            context.Fail(command, null, NotebookErrors.Describe(e));
        }
    }

    private async Task<ReasonResult> RunAsync(SubmitCode command, KernelInvocationContext context)
    {
        var parameters = new CellParameters(command.Parameters, this);
        var question = command.Code.Trim();
        if (question.Length == 0)
            throw new ArgumentException("The cell has no question: write the prompt on the lines under #!reason.");
        var engine = new EngineOptions
        {
            ContextSize = parameters.Int("--context", 64) ?? ReasonDefaults.ContextSize,
            GpuLayers = parameters.GpuLayers("--gpu-layers"),
            Draft = DraftChoice.Parse(parameters.Text("--draft")),
        };
        var sampling = new ReasonRequest
        {
            Prompt = PromptComposer.Compose(question, []),
            MaxTokens = parameters.Int("--max-tokens", 1),
            Temperature = parameters.Float("--temperature", 0) ?? ReasonDefaults.Temperature,
            TopP = parameters.Float("--top-p", 0) ?? ReasonDefaults.TopP,
            Seed = parameters.UInt("--seed"),
        };
        var ct = context.CancellationToken;
        var output = new LiveOutput(context);
        var reference = parameters.Text("--model");
        if (reference is null)
        {
            output.Show(LiveHtml.Status("Choosing the best model found on this machine…"), force: true);
            reference = (await ModelResolver.ChooseBestLocalAsync(engine.ContextSize, ct).ConfigureAwait(false)).Candidate.Path!;
        }

        var name = DisplayName(reference);
        output.Show(LiveHtml.Status($"Loading {name}…"), force: true);
        var loadProgress = new Progress(fraction => output.Show(LiveHtml.Status($"Loading {name}… {fraction:P0}")));
        var (model, reused) = await _models.AcquireAsync(reference, engine, loadProgress, ct).ConfigureAwait(false);

        var view = new StreamingReasonView(model.Model.Name, output);
        ReasonResult? result = null;
        await foreach (var update in model.StreamAsync(sampling, ct).ConfigureAwait(false))
        {
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
            else view.On(update);
        }
        if (result is null) throw new InvalidOperationException("The generation ended without a result.");
        // A resident model was loaded by an earlier cell: this one paid no load.
        if (reused) result = result with { Timings = result.Timings with { LoadMs = 0 } };
        output.Complete(result);
        return result;
    }

    /// <summary>"The reasoning chain was cut by the token limit (60 tokens): raise it with --max-tokens on the #!reason line."</summary>
    internal static string LimitSentence(TokenLimit limit)
    {
        var text = limit.Describe(new NotebookWording("#!" + DefaultName));
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    /// <summary>How the status line names a model before it is loaded: a remote one by its label, a file by its name.</summary>
    internal static string DisplayName(string reference) =>
        Core.Remote.RemoteModelReference.TryParse(reference, out var remote) ? remote!.Label : Path.GetFileName(reference);

    private sealed class Progress(Action<double> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value.Fraction);
    }
}
