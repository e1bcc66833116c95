using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;

namespace ReasonTools.Cli;

/// <summary><c>reason hardware</c>: what this machine has, which models fit, how fast, and which to pick.</summary>
internal static class HardwareCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Answer \"can this machine run it?\" for a catalog model: 1.5b, 7b, 8b, 14b, 32b, 70b, a full name or an Ollama tag." };
        var context = SettingOptions.ContextSize("Context size the estimates assume.");
        var json = new Option<bool>("--json") { Description = "Print the HardwareReport as JSON." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file." };

        var command = new Command("hardware", "Show this machine's CPU, memory and GPUs, which R1-distill models fit, and how fast they would run.")
        {
            model, context, json, html,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                // Models already on disk are preferred in the recommendation.
                var options = new HardwareProbeOptions { ContextSize = parse.GetValue(context), BackendDevices = new GgmlBackendDevices(), LocalModels = ModelLocator.Locate(cancellationToken: ct).Candidates };
                var probe = await HardwareProbe.CollectDetailedAsync(options, ct);
                // Why a GPU build of llama.cpp is not in use, when that is the case.
                if (LlamaNativeLibrary.Notice is { } notice)
                    probe = probe with { Report = probe.Report with { Notes = [.. probe.Report.Notes, $"llama.cpp: {notice}"] } };
                var question = parse.GetValue(model);
                var assessment = question is null ? null : probe.Assess(question);
                if (parse.GetValue(json)) Console.Out.WriteLine(ReasonJson.Serialize(probe.Report));
                else
                {
                    Console.Out.Write(HardwareTextRenderer.Render(probe.Report));
                    if (assessment is not null) Console.Out.WriteLine(HardwareTextRenderer.RenderAnswer(assessment));
                }
                if (parse.GetValue(html) is { } htmlPath) await File.WriteAllTextAsync(htmlPath, ReasonTools.Reports.HtmlReport.Document(probe.Report), ct);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, Console.Error);
            }
        });
        return command;
    }
}
