using System.CommandLine;
using System.Globalization;
using ReasonTools.Core;
using ReasonTools.Core.Inference;

namespace ReasonTools.Cli;

/// <summary>
/// <c>reason chat</c>: an interactive session in the manner of <c>ollama run</c>. Each line is a question; the chain
/// streams dimmed on stderr and the answer on stdout; follow-ups carry the earlier answers (never the chains, by R1's
/// convention) and the resident model's KV cache of the shared prefix is reused. Ctrl+C stops the current answer and
/// the session goes on; /bye or the end of input leaves.
/// </summary>
internal static class ChatCommand
{
    public const string Name = "chat";

    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "A GGUF path, a size (1.5b, 7b, 32b), a model name, an Ollama tag or a remote endpoint. Default: the best model found locally that this machine runs." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens per answer (default: what the context leaves)." };
        var context = SettingOptions.ContextSize("Context size in tokens; the whole conversation must fit (/clear starts afresh).");
        var temperature = SettingOptions.Temperature();
        var topP = SettingOptions.TopP();
        var seed = new Option<uint?>("--seed") { Description = "Seed for reproducible sampling." };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads (default: the logical cores, shared with other generations running on this machine)." };
        var gpuLayers = SettingOptions.GpuLayers();
        var keepAlive = KeepAliveOption.Create();
        var hideThinking = new Option<bool>("--hide-thinking") { Description = "Do not print the reasoning chain while streaming." };

        var command = new Command(Name, "Chat with a model interactively: /bye leaves, /? lists the commands, Ctrl+C stops an answer.")
        {
            model, maxTokens, context, temperature, topP, seed, threads, gpuLayers, keepAlive, hideThinking,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var session = new ChatSession(CliConsole.Out(parse), CliConsole.Error(parse), !parse.GetValue(hideThinking))
                {
                    Model = parse.GetValue(model) ?? (await Core.Models.ModelResolver.ChooseBestLocalAsync(parse.GetValue(context), ct)).Candidate.Path!,
                    Engine = new EngineOptions { ContextSize = parse.GetValue(context), Threads = parse.GetValue(threads), GpuLayers = SettingOptions.ParseGpuLayers(parse.GetValue(gpuLayers)!) },
                    KeepAlive = KeepAliveOption.Parse(parse.GetValue(keepAlive)),
                    Sampling = new ReasonRequest { MaxTokens = parse.GetValue(maxTokens), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), Seed = parse.GetValue(seed) },
                };
                return await session.RunAsync(Console.In, ct);
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, CliConsole.Error(parse));
            }
        });
        return command;
    }

    /// <summary>One session: the settings /set changes, the last result, and the turn Ctrl+C stops.</summary>
    private sealed class ChatSession(TextWriter stdout, TextWriter stderr, bool showThinking)
    {
        private CancellationTokenSource? _turn;

        public required string Model { get; init; }
        public required EngineOptions Engine { get; init; }
        public TimeSpan? KeepAlive { get; init; }
        public required ReasonRequest Sampling { get; set; }
        /// <summary>The last answered turn; the next question follows it up. Null at the start and after /clear.</summary>
        private ReasonResult? _previous;
        private ReasonResult? _last;

        public async Task<int> RunAsync(TextReader input, CancellationToken ct)
        {
            var interactive = !Console.IsInputRedirected;
            Console.CancelKeyPress += OnCancel;
            try
            {
                await PreloadAsync(ct);
                if (interactive) stderr.WriteLine("Type a question; /? lists the commands, /bye leaves.");
                while (!ct.IsCancellationRequested)
                {
                    if (interactive) stdout.Write(">>> ");
                    var text = await Task.Run(input.ReadLine, CancellationToken.None);
                    if (text is null) break;
                    var line = ChatInput.Parse(text);
                    if (line.Action == ChatAction.Bye) break;
                    if (line.Action == ChatAction.Ask)
                    {
                        if (await AskAsync(line.Text, ct) is { } exitCode) return exitCode;
                    }
                    else Handle(line);
                }
                return ExitCodes.Success;
            }
            finally
            {
                Console.CancelKeyPress -= OnCancel;
            }
        }

        // The model loads before the first question, so a missing or too large model is reported at once. A keep-alive of 0
        // means "load per question", as in Ollama.
        private async Task PreloadAsync(CancellationToken ct)
        {
            if (KeepAlive == TimeSpan.Zero) return;
            using var _ = await ModelOpener.OpenAsync(Model, Engine, KeepAlive, null, ct);
        }

        /// <summary>Answers one question; returns an exit code when the session cannot go on.</summary>
        private async Task<int?> AskAsync(string question, CancellationToken ct)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Volatile.Write(ref _turn, stop);
            var view = new StreamView(stdout, stderr, showThinking, quiet: false);
            try
            {
                var result = await ReasonService.RunAsync(new ReasonInvocation
                {
                    Model = Model, Question = question, Engine = Engine, KeepAlive = KeepAlive, Continue = _previous, Sampling = Sampling,
                }, view.OnUpdate, stop.Token);
                view.Finish(result, timings: false);
                _last = result;
                // A stopped answer is not part of the conversation: the next question follows the last complete one.
                if (result.FinishReason == FinishReason.Cancelled) stderr.WriteLine("[stopped]");
                else _previous = result;
                return null;
            }
            catch (Exception e) when (ReasonFailure.KindOf(e) == FailureKind.BadInput)
            {
                // A question the model cannot take (the conversation outgrew the context): say so and go on.
                CliErrors.Report(e, stderr);
                if (_previous is not null) stderr.WriteLine("reason: /clear starts a new conversation.");
                return null;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
            finally
            {
                Volatile.Write(ref _turn, null);
            }
        }

        private void Handle(ChatLine line)
        {
            var c = CultureInfo.InvariantCulture;
            switch (line.Action)
            {
                case ChatAction.Clear:
                    _previous = null;
                    stdout.WriteLine("Cleared the conversation.");
                    break;
                case ChatAction.Help:
                    stdout.WriteLine(ChatInput.Help);
                    break;
                case ChatAction.ShowTimings when _last is null:
                    stdout.WriteLine("No answer yet.");
                    break;
                case ChatAction.ShowTimings:
                    stdout.WriteLine(StreamView.TimingLine(_last!));
                    stdout.WriteLine(string.Format(c, "model {0}, load {1}, {2} prompt tokens reused from the previous turn",
                        _last!.Timings.Resident ? "resident" : "loaded", _last.Timings.LoadMs is { } ms ? (ms / 1000).ToString("0.00 s", c) : "n/a", _last.Timings.ReusedPromptTokens));
                    break;
                case ChatAction.ShowSettings:
                    stdout.WriteLine(string.Format(c, "temperature {0}, top-p {1}, seed {2}, max-tokens {3}, context {4}, {5} in the conversation",
                        Sampling.Temperature, Sampling.TopP, Sampling.Seed?.ToString(c) ?? "random", Sampling.MaxTokens?.ToString(c) ?? "what the context leaves",
                        Engine.ContextSize, ReasonTools.Reports.Wording.Plural(_previous is null ? 0 : _previous.History.Count + 1, "turn")));
                    break;
                case ChatAction.Set:
                    Sampling = line.Setting switch
                    {
                        "temperature" => Sampling with { Temperature = (float)line.Value },
                        "top-p" => Sampling with { TopP = (float)line.Value },
                        "seed" => Sampling with { Seed = (uint)line.Value },
                        _ => Sampling with { MaxTokens = (int)line.Value },
                    };
                    stdout.WriteLine(string.Format(c, "Set {0} to {1}.", line.Setting, line.Value));
                    break;
                case ChatAction.Invalid:
                    stderr.WriteLine(line.Error);
                    break;
            }
        }

        // Ctrl+C: stop the answer being written and stay in the session; at the prompt, say how to leave.
        private void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            if (Volatile.Read(ref _turn) is { } current) current.Cancel();
            else
            {
                stderr.WriteLine("\n(Use Ctrl+D or /bye to leave.)");
                stdout.Write(">>> ");
            }
        }
    }
}
