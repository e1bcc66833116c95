using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Reports;

namespace ReasonTools.Cli;

/// <summary><c>reason hardware</c>: what this machine has, which models fit, how fast, and which to pick.</summary>
internal static class HardwareCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m")
        {
            Description = $"Answer \"can this machine run it?\" for a catalog model: {ModelOptionWords.Catalog}. " +
                          $"The answer comes first; exit code {ExitCodes.ModelUnavailable} when it does not fit.",
        };
        var all = new Option<bool>("--all") { Description = "With --model, also show the machine and every model and quantization below the answer." };
        var context = SettingOptions.ContextSize("Context size the estimates assume.");
        var json = new Option<bool>("--json") { Description = "Print the HardwareReport as JSON." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file (with --model, the answer leads it)." };

        var command = new Command("hardware",
            "Show this machine's CPU, memory and GPUs, which R1-distill models fit, and how fast they would run. " +
            $"With --model, answer for that model first; exit code {ExitCodes.ModelUnavailable} means it does not fit here.")
        {
            model, all, context, json, html,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
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
                await stdout.WriteAsync(Render(probe.Report, assessment, parse.GetValue(json), parse.GetValue(all)));
                if (parse.GetValue(html) is { } htmlPath) await File.WriteAllTextAsync(htmlPath, HtmlReport.Document(probe.Report, assessment), ct);
                return ExitCode(assessment);
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    /// <summary>What stdout gets: the JSON report (with the answer when a model was asked about), the answer alone, or the answer followed by the whole report.</summary>
    internal static string Render(HardwareReport report, ModelAssessment? assessment, bool json, bool all) =>
        json ? ReasonJson.Serialize(assessment is null ? report : report with { Answer = ModelAnswer.From(assessment) }) + Environment.NewLine
        : assessment is not null && !all ? HardwareText.Verdict(assessment) + Environment.NewLine
        : TextReport.Render(report, assessment);

    /// <summary>Scripts read the answer from the exit code: a model that does not fit is <see cref="ExitCodes.ModelUnavailable"/>.</summary>
    internal static int ExitCode(ModelAssessment? assessment) =>
        assessment?.Verdict == FitVerdict.DoesNotFit ? ExitCodes.ModelUnavailable : ExitCodes.Success;
}
