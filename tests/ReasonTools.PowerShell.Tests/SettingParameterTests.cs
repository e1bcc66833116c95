using System.Management.Automation;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>The settings parameters as a user meets them: defaults shared with reason run, -GpuLayers auto|N, completion.</summary>
[Collection(HostedCollection.Name)]
public sealed class SettingParameterTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;
    private static readonly string Model = SyntheticModels.GetFile(ScriptKind.ClosedChain);
    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    private ReasonResult RunOnFakeGpu(string gpuLayers)
    {
        RunResult result;
        using (FakeMachines.Use(FakeMachines.OneGpu))
            result = Shell.Run($"Stop-ReasonModel; Invoke-Reason 'What is 2 + 3?' -Model {Quote(Model)} -Threads 1 -ContextSize 512 -MaxTokens 2 -KeepAlive 0 {gpuLayers}");
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        return Assert.IsType<ReasonResult>(Assert.Single(result.Output));
    }

    [Fact]
    public void Invoke_Reason_without_GpuLayers_records_the_layers_the_core_chooser_gives_auto()
    {
        var expected = FakeMachines.AutoGpuLayersOnOneGpu(Model, 512);
        Assert.True(expected > 0);
        Assert.Equal(expected, RunOnFakeGpu("").Settings.GpuLayers);
        Assert.Equal(expected, RunOnFakeGpu("-GpuLayers auto").Settings.GpuLayers);
        Assert.Equal(0, RunOnFakeGpu("-GpuLayers 0").Settings.GpuLayers);
    }

    [Fact]
    public void Defaults_are_the_core_defaults_and_TopP_is_recorded()
    {
        var result = Shell.Run($"Stop-ReasonModel; Invoke-Reason 'What is 2 + 3?' -Model {Quote(Model)} -Threads 1 -ContextSize 512 -MaxTokens 2 -KeepAlive 0 -TopP 0.5");
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        var settings = Assert.IsType<ReasonResult>(Assert.Single(result.Output)).Settings;
        Assert.Equal(0.5f, settings.TopP);
        Assert.Equal(ReasonDefaults.Temperature, settings.Temperature);
        Assert.Equal(ReasonDefaults.ContextSize, new InvokeReasonCommand().ContextSize);
        Assert.Equal(ReasonDefaults.TopP, new CompareReasonModelCommand().TopP);
        Assert.Equal(GpuLayerSetting.Auto, new CompareReasonModelCommand().GpuLayers);
    }

    [Fact]
    public void GpuLayers_refuses_a_word_other_than_auto_in_PowerShell_terms()
    {
        var result = Shell.Run($"Invoke-Reason 'q' -Model {Quote(Model)} -GpuLayers many");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("-GpuLayers takes a number of layers", error.ToString());
        Assert.DoesNotContain("--gpu-layers", error.ToString());
    }

    [Fact]
    public void Tab_completion_offers_auto_for_GpuLayers_and_catalog_sizes_by_parameter_count()
    {
        var gpu = Shell.Run("(TabExpansion2 -inputScript 'Invoke-Reason -GpuLayers ' -cursorColumn 25).CompletionMatches.CompletionText");
        Assert.Equal(["auto", "0", "-1"], gpu.Output.Cast<string>());
        var sizes = Shell.Run("(TabExpansion2 -inputScript 'Compare-ReasonModel -Size ' -cursorColumn 26).CompletionMatches.CompletionText");
        Assert.Equal(["1.5B", "7B", "8B", "14B", "32B", "70B"], sizes.Output.Cast<string>());
        var bad = Shell.Run("Compare-ReasonModel -Size 9B -Prompt 'q'");
        Assert.Contains("1.5B, 7B, 8B, 14B, 32B, 70B", Assert.Single(bad.Errors).ToString());
    }
}
