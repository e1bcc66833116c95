using System.Diagnostics;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary><c>reason chat</c> through piped input and through a pseudo-terminal, as a user types into it.</summary>
public sealed class ChatCommandTests
{
    private static string Model => SyntheticModels.GetFile(ScriptKind.ClosedChain);
    private const string Answer = "The answer is \\boxed{5}.";

    [Fact]
    public void Piped_questions_are_answered_in_one_conversation_with_the_commands_and_the_session_ends_at_end_of_input()
    {
        var chat = ReasonCli.Run($"chat --model \"{Model}\" --threads 1 --seed 3",
            stdin: "What is 2 + 3?\n/show timings\n/set temperature 0.3\n/show settings\nAnd 2 + 4?\n/show timings\n/clear\n/show settings\n/nope\nAgain?\n");

        Assert.True(chat.ExitCode == 0, chat.Stderr);
        var stdout = chat.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal(3, stdout.Count(l => l == Answer));
        // The chain streams to stderr, once per answer; the answers to stdout.
        Assert.Equal(3, chat.Stderr.Split("<think>").Length - 1);
        Assert.DoesNotContain("Two plus three", chat.Stdout);
        var reuse = stdout.Where(l => l.Contains("prompt tokens reused")).ToList();
        Assert.Equal(2, reuse.Count);
        Assert.Contains("model resident, load 0.00 s, 0 prompt tokens reused", reuse[0]);
        // The follow-up carries the first answer and decodes only what follows the cached prefix.
        Assert.DoesNotContain(" 0 prompt tokens reused", reuse[1]);
        Assert.Contains("Set temperature to 0.3.", stdout);
        Assert.Contains(stdout, l => l.StartsWith("temperature 0.3, top-p 0.95, seed 3,") && l.EndsWith("1 turn in the conversation"));
        Assert.Contains("Cleared the conversation.", stdout);
        Assert.Contains(stdout, l => l.StartsWith("temperature 0.3,") && l.EndsWith("0 turns in the conversation"));
        Assert.Contains("Unknown command '/nope'. Type /? for help.", chat.Stderr);
    }

    [Fact]
    public void Bye_leaves_before_the_rest_of_the_input_and_a_bad_setting_is_refused_without_leaving()
    {
        var chat = ReasonCli.Run($"chat --model \"{Model}\" --threads 1", stdin: "/set temperature hot\n/set max-tokens 2.5\n/bye\nWhat is 2 + 3?\n");

        Assert.Equal(0, chat.ExitCode);
        Assert.Contains("temperature takes a number from 0 to 2, not 'hot'.", chat.Stderr);
        Assert.Contains("max-tokens takes a whole number", chat.Stderr);
        Assert.DoesNotContain(Answer, chat.Stdout);
    }

    [Fact]
    public void A_missing_model_is_reported_before_the_first_question()
    {
        var chat = ReasonCli.Run($"chat --model \"{Path.Combine(Path.GetTempPath(), "no-such-model.gguf")}\"", stdin: "What is 2 + 3?\n");

        Assert.Equal(ExitCodes.ModelUnavailable, chat.ExitCode);
        Assert.Contains("not found", chat.Stderr);
    }

    [Fact]
    public void A_bad_keep_alive_is_refused_in_the_words_of_the_option()
    {
        var chat = ReasonCli.Run($"chat --model \"{Model}\" --keep-alive soon", stdin: "");

        Assert.Equal(ExitCodes.BadInput, chat.ExitCode);
        Assert.Contains("--keep-alive: 'soon' is not a keep-alive time", chat.Stderr);
    }

    [Fact]
    public async Task In_a_terminal_it_prompts_dims_the_chain_and_ctrl_c_at_the_prompt_does_not_end_the_session()
    {
        // script(1) runs reason on a pseudo-terminal: what is written to script's input is typed, \x03 is Ctrl+C. exec: the
        // shell script starts must not stay as reason's parent, or Ctrl+C reaches it too and a shell like dash then exits 130.
        var psi = new ProcessStartInfo("script", ["-q", "-e", "-c", $"exec {ReasonCli.WithSigintDefault($"chat --model \"{Model}\" --threads 1")}", "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment.Remove("NO_COLOR");
        using var process = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                lock (output) output.Append(buffer, 0, n);
        });
        async Task WaitFor(string text)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                lock (output) if (output.ToString().Contains(text)) return;
                Assert.True(DateTime.UtcNow < deadline, $"no '{text}' in: {output}");
                await Task.Delay(50);
            }
        }
        async Task Type(string keys)
        {
            await process.StandardInput.WriteAsync(keys);
            await process.StandardInput.FlushAsync();
        }

        await WaitFor(">>> ");
        await Type("What is 2 + 3?\r");
        await WaitFor(Answer + "\r\n>>> ");
        // Ctrl+C until the reader sees it: the first may come before the terminal is read again.
        int Hints() { lock (output) return System.Text.RegularExpressions.Regex.Count(output.ToString(), "Use Ctrl\\+D"); }
        var sent = 0;
        for (; sent < 20 && Hints() == 0; sent++)
        {
            await Type("\x03");
            await Task.Delay(500);
        }
        await WaitFor("Use Ctrl+D or /bye to leave.");
        // Let every Ctrl+C typed be answered before the session is left: on a loaded machine a late one would otherwise
        // reach the process after /bye, when no session handles it (two close together may also arrive as one signal).
        var settled = DateTime.UtcNow.AddSeconds(10);
        while (Hints() < sent && DateTime.UtcNow < settled) await Task.Delay(100);
        await Type("/show timings\r");
        await WaitFor("prompt tokens reused");
        await Type("/bye\r");
        Assert.True(process.WaitForExit(60_000));
        await reading;

        var text = output.ToString();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("\x1b[2mThe user asks for 2 + 3.", text);
        Assert.Contains("[stop] 27 thinking + 7 answer tokens", text);
    }
}
