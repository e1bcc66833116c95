using System.Buffers.Binary;
using System.Text;
using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Gguf;

public sealed class SyntheticModelTests
{
    [Theory]
    [InlineData(ScriptKind.ClosedChain, "\\boxed{5}", 3)]
    [InlineData(ScriptKind.ChickensRight, "\\boxed{12 chickens, 13 rabbits}", 4)]
    [InlineData(ScriptKind.ChickensWrong, "\\boxed{13 chickens, 12 rabbits}", 4)]
    [InlineData(ScriptKind.SplitUtf8, "\\boxed{3}", 1)]
    public void Closed_scripts_think_then_answer(ScriptKind kind, string boxed, int thinkingLines)
    {
        var m = SyntheticModels.Get(kind);
        Assert.True(m.ClosesThinking);
        Assert.Equal(m.ThinkingText + R1Tokenizer.ThinkClose + m.AnswerText, m.GeneratedText);
        Assert.StartsWith("\n\n", m.AnswerText);
        Assert.Contains(boxed, m.AnswerText);
        Assert.DoesNotContain(boxed, m.ThinkingText);
        Assert.Equal(thinkingLines, m.ThinkingText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(m.GeneratedText, m.TextOfFirstTokens(m.GeneratedTokenCount + 10));
    }

    [Fact]
    public void Right_and_wrong_chickens_differ_only_in_the_numbers()
    {
        var right = SyntheticModels.Get(ScriptKind.ChickensRight);
        var wrong = SyntheticModels.Get(ScriptKind.ChickensWrong);
        Assert.Equal(right.Question, wrong.Question);
        Assert.NotEqual(right.AnswerText, wrong.AnswerText);
        Assert.Equal(right.AnswerText!.Replace("12", "#").Replace("13", "12").Replace("#", "13"), wrong.AnswerText);
    }

    [Fact]
    public void Never_closing_script_has_no_answer()
    {
        var m = SyntheticModels.Get(ScriptKind.NeverCloses);
        Assert.False(m.ClosesThinking);
        Assert.Null(m.AnswerText);
        Assert.Equal(SyntheticModels.NeverClosesTokenCount, m.GeneratedTokenCount);
        Assert.DoesNotContain(R1Tokenizer.ThinkClose, m.GeneratedText);
        Assert.StartsWith(m.TextOfFirstTokens(20), m.GeneratedText);
        Assert.EndsWith(" case 20;", m.TextOfFirstTokens(20));
    }

    [Fact]
    public void Loop_script_repeats_its_cycle_forever()
    {
        var m = SyntheticModels.Get(ScriptKind.Loop);
        Assert.Equal(-1, m.GeneratedTokenCount);
        var text = m.TextOfFirstTokens(200);
        Assert.StartsWith(m.LoopPrefix! + m.LoopCycle + m.LoopCycle, text);
        Assert.True(text.Split(m.LoopCycle!).Length > 20);
        Assert.DoesNotContain(R1Tokenizer.ThinkClose, text);
    }

    [Fact]
    public void Split_utf8_script_cuts_characters_between_tokens()
    {
        var m = SyntheticModels.Get(ScriptKind.SplitUtf8);
        Assert.Contains("café", m.ThinkingText);
        Assert.Contains("√9", m.ThinkingText);
        var cut = Enumerable.Range(1, m.GeneratedTokenCount).First(n => m.TextOfFirstTokens(n).EndsWith('\uFFFD'));
        Assert.EndsWith("caf\uFFFD", m.TextOfFirstTokens(cut));
        Assert.EndsWith("café", m.TextOfFirstTokens(cut + 1));
    }

    [Theory]
    [InlineData(ScriptKind.ClosedChain)]
    [InlineData(ScriptKind.NeverCloses)]
    [InlineData(ScriptKind.Loop)]
    [InlineData(ScriptKind.ChickensWrong)]
    [InlineData(ScriptKind.SplitUtf8)]
    public void The_weights_encode_the_script(ScriptKind kind)
    {
        // Follows the model's own arithmetic (one-hot embedding -> output row argmax) from the prompt's last token.
        var model = SyntheticModels.Get(kind);
        var path = SyntheticModels.GetFile(kind);
        var f = GgufReader.Read(path);
        var tokens = f.Metadata.GetStringArray("tokenizer.ggml.tokens");
        var types = f.Metadata["tokenizer.ggml.token_type"].GetArray<int>();
        var eos = (int)f.Metadata.GetUInt32("tokenizer.ggml.eos_token_id");
        var embedding = ReadF16Matrix(path, f.Tensors.Single(t => t.Name == "token_embd.weight"));
        var output = ReadF16Matrix(path, f.Tensors.Single(t => t.Name == "output.weight"));
        int Next(int token)
        {
            var slot = Array.IndexOf(embedding[token], 1f);
            var best = Enumerable.Range(0, output.Length).MaxBy(j => output[j][slot]);
            Assert.True(output[best][slot] >= 32f, "the successor's logit must dominate");
            Assert.Equal(1, output.Count(row => row[slot] != 0));
            return best;
        }

        var assistant = Array.IndexOf(tokens.ToArray(), R1Tokenizer.Assistant);
        Assert.Equal(R1Tokenizer.ThinkOpen, tokens[Next(assistant)]);
        var bytes = new List<byte>();
        var current = '\n';
        var count = model.GeneratedTokenCount < 0 ? 100 : model.GeneratedTokenCount;
        int token = current;
        for (var i = 0; i < count; i++)
        {
            token = Next(token);
            Assert.NotEqual(eos, token);
            bytes.AddRange(types[token] == R1Tokenizer.Normal ? FromByteLevel(tokens[token]) : Encoding.UTF8.GetBytes(tokens[token]));
        }
        Assert.Equal(model.TextOfFirstTokens(count), Encoding.UTF8.GetString(bytes.ToArray()));
        if (model.GeneratedTokenCount >= 0) Assert.Equal(eos, Next(token));
    }

    [Fact]
    public void Writing_is_deterministic_and_independent_of_chunking()
    {
        var a = new byte[4096];
        var b = new byte[4096];
        var fill = TensorFills.Random(GgmlType.F16, 42);
        fill(a, 0);
        fill(b.AsSpan(0, 1024), 0);
        fill(b.AsSpan(1024), 1024);
        Assert.Equal(a, b);
        var values = new float[2048];
        for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(a.AsSpan(2 * i));
        var std = Math.Sqrt(values.Average(v => v * v));
        Assert.InRange(std, 0.015, 0.025);
        Assert.InRange(values.Average(), -0.003, 0.003);

        var path1 = Path.GetTempFileName();
        var path2 = Path.GetTempFileName();
        try
        {
            SyntheticModels.Write(ScriptKind.ClosedChain, path1);
            SyntheticModels.Write(ScriptKind.ClosedChain, path2);
            Assert.Equal(File.ReadAllBytes(path1), File.ReadAllBytes(path2));
        }
        finally { File.Delete(path1); File.Delete(path2); }
    }

    private static float[][] ReadF16Matrix(string path, GgufTensorInfo t)
    {
        var raw = new byte[t.ByteSize];
        using (var s = File.OpenRead(path)) { s.Position = t.AbsoluteOffset; s.ReadExactly(raw); }
        var cols = (int)t.Dimensions[0];
        return Enumerable.Range(0, (int)t.Dimensions[1])
            .Select(r => Enumerable.Range(0, cols).Select(c => (float)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(2 * (r * cols + c)))).ToArray())
            .ToArray();
    }

    private static byte[] FromByteLevel(string text)
    {
        var map = new Dictionary<char, byte>();
        for (var b = 0; b < 256; b++) map[R1Tokenizer.ByteLevel([(byte)b])[0]] = (byte)b;
        return text.Select(c => map[c]).ToArray();
    }
}
