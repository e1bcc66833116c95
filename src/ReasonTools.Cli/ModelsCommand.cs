using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;

namespace ReasonTools.Cli;

/// <summary><c>reason models</c>: the GGUF models on this machine, where they are, and whether this machine can run them.</summary>
internal static class ModelsCommand
{
    public static Command Create() => Create(ModelEnvironment.Current, ProbeMachineAsync);

    /// <summary>The command over <paramref name="environment"/>, judging fit on <paramref name="machine"/>'s profile.</summary>
    internal static Command Create(ModelEnvironment environment, Func<int, CancellationToken, Task<MachineProfile>> machine)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON: models (name, path, source, quantization, size, canRun…), warnings, searched." };
        var context = SettingOptions.ContextSize("Context size the \"can run\" estimates assume.");
        var command = new Command("models",
            "List the GGUF models found on this machine (ReasonTools' folder, REASONTOOLS_MODELS, the settings file, Ollama, Hugging Face cache, LM Studio) " +
            "and whether each fits.")
        {
            json, context,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            try
            {
                var located = ModelLocator.Locate(environment, ct);
                var contextSize = parse.GetValue(context);
                var profile = await machine(contextSize, ct);
                var listing = ModelListing.Create(located, profile, new FitOptions { ContextSize = contextSize });
                if (parse.GetValue(json))
                {
                    await stdout.WriteLineAsync(ReasonJson.Serialize(listing));
                    return ExitCodes.Success;
                }
                foreach (var warning in listing.Warnings) await stderr.WriteLineAsync("warning: " + ReasonTools.Reports.TerminalText.Clean(warning));
                var suggestion = listing.Models.Count == 0 && ModelChooser.Choose([], profile, new ChoiceOptions { Fit = new FitOptions { ContextSize = contextSize } }) is
                    { Candidate.Catalog: { } model } choice
                    ? CliWording.Instance.Download(model.Size, ModelResolver.DownloadQuantization(choice.Candidate.Spec.Quantization))
                    : null;
                await stdout.WriteAsync(ReasonTools.Reports.TerminalText.Clean(listing.ToText(suggestion)));
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    private static async Task<MachineProfile> ProbeMachineAsync(int contextSize, CancellationToken cancellationToken) =>
        (await HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { ContextSize = contextSize, BackendDevices = new GgmlBackendDevices() }, cancellationToken)).Profile;
}
