using System.CommandLine;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>run and compare bind the settings with the Core defaults, and leave the GPU layers to Core's chooser.</summary>
public sealed class SettingOptionsTests
{
    private static readonly string Model = SyntheticModels.GetFile(ScriptKind.ClosedChain);

    private static (ParseResult Parse, Command Command) Parse(Command command, string arguments)
    {
        var parse = new RootCommand { command }.Parse(arguments);
        Assert.Empty(parse.Errors);
        return (parse, command);
    }

    /// <summary>The command the first word of <paramref name="arguments"/> names: run, chat or compare.</summary>
    private static Command CommandOf(string arguments) => arguments.Split(' ')[0] switch
    {
        "run" => RunCommand.Create(() => null),
        "chat" => ChatCommand.Create(),
        _ => CompareCommand.Create(),
    };

    private static T Value<T>(ParseResult parse, Command command, string name) =>
        parse.GetValue(command.Options.OfType<Option<T>>().Single(o => o.Name == name))!;

    [Fact]
    public async Task Reason_run_without_gpu_layers_records_the_layers_the_core_chooser_gives_auto()
    {
        var (parse, command) = Parse(RunCommand.Create(() => null), $"run --model \"{Model}\" --prompt hi");
        var gpuLayers = SettingOptions.ParseGpuLayers(Value<string>(parse, command, "--gpu-layers"));
        Assert.Null(gpuLayers);

        var expected = FakeMachines.AutoGpuLayersOnOneGpu(Model, 512);
        Assert.True(expected > 0);
        ReasonResult result;
        using (FakeMachines.Use(FakeMachines.OneGpu))
            result = await ReasonService.RunAsync(new ReasonInvocation
            {
                Model = Model,
                Question = SyntheticModels.Get(ScriptKind.ClosedChain).Question,
                Engine = new EngineOptions { ContextSize = 512, Threads = 1, GpuLayers = gpuLayers },
                Sampling = new ReasonRequest { MaxTokens = 2, Seed = 1 },
                KeepAlive = TimeSpan.Zero,
            });
        Assert.Equal(expected, result.Settings.GpuLayers);
    }

    [Theory]
    [InlineData("run --prompt hi")]
    [InlineData("compare --model a.gguf --prompts p.json")]
    [InlineData("chat --model a.gguf")]
    public void Left_out_settings_take_the_core_defaults(string arguments)
    {
        var command = CommandOf(arguments);
        var (parse, _) = Parse(command, arguments);
        Assert.Equal(ReasonDefaults.ContextSize, Value<int>(parse, command, "--context"));
        Assert.Equal(ReasonDefaults.Temperature, Value<float>(parse, command, "--temperature"));
        Assert.Equal(ReasonDefaults.TopP, Value<float>(parse, command, "--top-p"));
        Assert.Equal("auto", Value<string>(parse, command, "--gpu-layers"));
    }

    [Fact]
    public void Compare_takes_top_p_and_gpu_layers_as_run_does()
    {
        var command = CompareCommand.Create();
        var (parse, _) = Parse(command, "compare --model a.gguf --prompts p.json --top-p 0.5 --gpu-layers 12");
        Assert.Equal(0.5f, Value<float>(parse, command, "--top-p"));
        Assert.Equal(12, SettingOptions.ParseGpuLayers(Value<string>(parse, command, "--gpu-layers")));
        var run = RunCommand.Create(() => null).Options.Select(o => o.Name).ToHashSet();
        string[] shared = ["--context", "--temperature", "--top-p", "--seed", "--threads", "--gpu-layers", "--max-tokens", "--draft"];
        Assert.All(shared, name => Assert.Contains(name, run));
        Assert.All(shared, name => Assert.Contains(command.Options, o => o.Name == name));
    }

    [Theory]
    [InlineData("run --prompt hi --temperature 3")]
    [InlineData("chat --temperature 2.5")]
    [InlineData("compare --model a.gguf --prompts p.json --top-p 1.5")]
    public void A_sampling_value_outside_the_range_every_front_accepts_is_refused(string arguments)
    {
        var command = CommandOf(arguments);
        var parse = new RootCommand { command }.Parse(arguments);
        Assert.Contains(parse.Errors, e => e.Message.Contains("is outside 0 to", StringComparison.Ordinal));
    }

    [Fact]
    public void Chat_set_takes_the_temperatures_the_options_and_cmdlets_take()
    {
        Assert.Equal(ChatAction.Set, ChatInput.Parse("/set temperature 2").Action);
        Assert.Equal(ChatAction.Invalid, ChatInput.Parse("/set temperature 5").Action);
    }
}
