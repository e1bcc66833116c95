using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>The options of <c>#!reason-hardware</c>.</summary>
public sealed class CheckReasonHardware : KernelCommand
{
    public string? Model { get; set; }
    public string? Context { get; set; }
}

/// <summary>
/// <c>#!reason-hardware [--model 32b]</c>: the hardware report (what this machine has, which models fit, how fast)
/// and, with <c>--model</c>, the verdict for that model; the report is bound to <c>hardwareReport</c>.
/// </summary>
internal static class HardwareDirective
{
    public const string Name = "#!reason-hardware";
    public const string ResultVariable = "hardwareReport";

    public static void AddTo(CompositeKernel root)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = "Show this machine's CPU, memory and GPUs, which R1-distill models fit and how fast (bound to hardwareReport).",
        };
        directive.Parameters.Add(new KernelDirectiveParameter("--model", "Answer \"can this machine run it?\" for a catalog model: a size (1.5b, 7b, 8b, 14b, 32b, 70b), a size or full name with a quantization (32b-q8_0), a full name or an Ollama tag."));
        directive.Parameters.Add(new KernelDirectiveParameter("--context", $"Context size the estimates assume (default {Core.Inference.ReasonDefaults.ContextSize})."));
        root.AddDirective<CheckReasonHardware>(directive, HandleAsync);
    }

    private static async Task HandleAsync(CheckReasonHardware command, KernelInvocationContext context)
    {
        try
        {
            var kernel = context.HandlingKernel;
            var parameters = new CellParameters(new Dictionary<string, string> { ["--model"] = command.Model ?? "", ["--context"] = command.Context ?? "" }, kernel);
            var output = new LiveOutput(context);
            output.Show(LiveHtml.Status("Probing this machine (CPU, memory, GPUs, memory bandwidth)…"), force: true);
            var ct = context.CancellationToken;
            var options = new HardwareProbeOptions
            {
                ContextSize = parameters.Int("--context", 64) ?? Core.Inference.ReasonDefaults.ContextSize,
                BackendDevices = new GgmlBackendDevices(),
                LocalModels = ModelLocator.Locate(cancellationToken: ct).Candidates,
            };
            var probe = await HardwareProbe.CollectDetailedAsync(options, ct).ConfigureAwait(false);
            // Why a GPU build of llama.cpp is not in use, when that is the case (as reason hardware says it).
            if (LlamaNativeLibrary.Notice is { } notice)
                probe = probe with { Report = probe.Report with { Notes = [.. probe.Report.Notes, $"llama.cpp: {notice}"] } };
            if (parameters.Text("--model") is { } question)
            {
                // The answer leads the report, as in reason hardware --model and its HTML report.
                var assessment = probe.Assess(question);
                output.Show(HtmlReport.Fragment(probe.Report, assessment), force: true);
                context.DisplayAs(HardwareText.Verdict(assessment), "text/plain");
            }
            else
            {
                output.Complete(probe.Report);
            }
            await CellValues.BindAsync(kernel, ResultVariable, probe.Report).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            context.Fail(command, null, NotebookErrors.Describe(e));
        }
    }
}
