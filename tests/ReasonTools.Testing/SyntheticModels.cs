using System.Text;
using System.Text.RegularExpressions;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>The scripted behaviours a synthetic model can have.</summary>
public enum ScriptKind
{
    /// <summary>Thinks in a few steps, closes with &lt;/think&gt;, answers "The answer is \boxed{5}.", then EOS.</summary>
    ClosedChain,

    /// <summary>Thinks for <see cref="SyntheticModels.NeverClosesTokenCount"/> distinct tokens, never emits &lt;/think&gt;, then EOS.</summary>
    NeverCloses,

    /// <summary>After a short prefix, repeats the same cycle of tokens inside the thinking forever.</summary>
    Loop,

    /// <summary>Chickens-and-rabbits problem answered correctly: \boxed{12 chickens, 13 rabbits}.</summary>
    ChickensRight,

    /// <summary>The same problem answered wrongly with the numbers swapped: \boxed{13 chickens, 12 rabbits}.</summary>
    ChickensWrong,

    /// <summary>Emits "é" and "√" as separate raw byte tokens (2 and 3 tokens), so streaming UTF-8 assembly is exercised.</summary>
    SplitUtf8,

    /// <summary>Answers "add two numbers read from stdin" with a correct Python program in a fenced block.</summary>
    SumProgramRight,

    /// <summary>The same task answered with a buggy program that multiplies.</summary>
    SumProgramWrong,

    /// <summary>
    /// Thinks with one vocabulary token of <see cref="SyntheticModels.LongPieceBytes"/> bytes (longer than any buffer a
    /// decoder would start with), then answers \boxed{1024}.
    /// </summary>
    LongPiece,
}

/// <summary>
/// A tiny qwen2 GGUF model whose output is a fixed script, and the exact text it generates.
/// The model is built so that the next token depends only on the last token: attention and FFN outputs are zero,
/// so the residual stream is the token embedding; embeddings are one-hot; the output matrix maps each token to its
/// successor with a logit gap of about 1000, so sampling at any usual temperature picks the successor.
/// The prompt's last token decides the start: "\n" (the end of the template's generation prompt
/// "&lt;｜Assistant｜&gt;&lt;think&gt;\n") is followed by the script; "&lt;｜Assistant｜&gt;" is followed by
/// "&lt;think&gt;" then "\n" then the script; any other token is followed by EOS.
/// </summary>
public sealed class SyntheticModel
{
    internal SyntheticModel(ScriptKind kind, string question, ScriptBuilder script)
    {
        Kind = kind;
        Question = question;
        _script = script;
        var pieces = script.Pieces;
        var text = new StringBuilder();
        var close = pieces.FindIndex(p => p.Special == R1Tokenizer.ThinkClose);
        ClosesThinking = close >= 0;
        if (script.LoopStart is { } loopStart)
        {
            LoopPrefix = Decode(pieces.Take(loopStart));
            LoopCycle = Decode(pieces.Skip(loopStart));
            ThinkingText = LoopPrefix;
            GeneratedText = LoopPrefix;
            GeneratedTokenCount = -1;
        }
        else
        {
            ThinkingText = Decode(close >= 0 ? pieces.Take(close) : pieces);
            AnswerText = close >= 0 ? Decode(pieces.Skip(close + 1)) : null;
            GeneratedText = Decode(pieces);
            GeneratedTokenCount = pieces.Count;
        }
    }

    private readonly ScriptBuilder _script;

    /// <summary>Which script this is.</summary>
    public ScriptKind Kind { get; }

    /// <summary>A question that fits the script (the model ignores the prompt's content).</summary>
    public string Question { get; }

    /// <summary>True when the script emits &lt;/think&gt;.</summary>
    public bool ClosesThinking { get; }

    /// <summary>Text generated after a prompt ending "&lt;think&gt;\n", up to &lt;/think&gt; (for <see cref="ScriptKind.Loop"/>: the prefix before the cycle).</summary>
    public string ThinkingText { get; }

    /// <summary>Text after &lt;/think&gt; up to EOS, starting with "\n\n"; null when thinking never closes.</summary>
    public string? AnswerText { get; }

    /// <summary>
    /// Everything generated after a prompt ending "&lt;think&gt;\n" until EOS: thinking, "&lt;/think&gt;" and answer
    /// (EOS itself renders as nothing). For <see cref="ScriptKind.Loop"/> only the prefix; use <see cref="TextOfFirstTokens"/>.
    /// </summary>
    public string GeneratedText { get; }

    /// <summary>What is generated when the prompt ends at "&lt;｜Assistant｜&gt;" (no "&lt;think&gt;\n" appended): "&lt;think&gt;\n" + <see cref="GeneratedText"/>.</summary>
    public string GeneratedTextFromAssistant => R1Tokenizer.ThinkOpen + "\n" + GeneratedText;

    /// <summary>Tokens generated before EOS after a "&lt;think&gt;\n" prompt; -1 for the endless <see cref="ScriptKind.Loop"/>.</summary>
    public int GeneratedTokenCount { get; }

    /// <summary>For <see cref="ScriptKind.Loop"/>: the text before the cycle starts; otherwise null.</summary>
    public string? LoopPrefix { get; }

    /// <summary>For <see cref="ScriptKind.Loop"/>: the text that repeats forever; otherwise null.</summary>
    public string? LoopCycle { get; }

    /// <summary>Number of vocabulary entries in the file.</summary>
    public int VocabularySize => _script.Vocabulary.Count;

    /// <summary>
    /// The text of the first <paramref name="count"/> generated tokens after a "&lt;think&gt;\n" prompt (what a run
    /// with max-tokens <paramref name="count"/> yields); bytes of a character cut in half decode as U+FFFD.
    /// </summary>
    public string TextOfFirstTokens(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bytes = new List<byte>();
        var pieces = _script.Pieces;
        for (var i = 0; i < count; i++)
        {
            int index;
            if (i < pieces.Count) index = i;
            else if (_script.LoopStart is { } start) index = start + (i - start) % (pieces.Count - start);
            else break;
            bytes.AddRange(pieces[index].Bytes);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Writes the model to <paramref name="path"/> (about 1.3-1.5 MB).</summary>
    public void Write(string path) => _script.BuildWriter(Kind).WriteTo(path);

    /// <summary>A writer holding this model's keys and tensors, to change before writing (hostile-file tests).</summary>
    public GgufWriter CreateWriter() => _script.BuildWriter(Kind);

    /// <summary>Writes the model to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream) => _script.BuildWriter(Kind).WriteTo(stream);

    /// <summary>
    /// Writes a draft for this model: the same vocabulary and script, except that every <paramref name="divergeEvery"/>-th
    /// script token (the n-th, 2n-th, ...) it predicts a wrong one (0 never diverges), so a speculative run's acceptance is known.
    /// </summary>
    public void WriteDraftTo(Stream stream, int divergeEvery) => _script.BuildWriter(Kind, divergeEvery).WriteTo(stream);

    /// <summary>
    /// Writes a slow variant: the same script, with a feed-forward block <see cref="SyntheticModels.SlowFeedForwardLength"/>
    /// wide whose output is still zero, so each token costs milliseconds of real work and a run can be interrupted midway.
    /// </summary>
    public void WriteSlowTo(Stream stream) => _script.BuildWriter(Kind, feedForward: SyntheticModels.SlowFeedForwardLength).WriteTo(stream);

    private static string Decode(IEnumerable<ScriptBuilder.Piece> pieces) =>
        Encoding.UTF8.GetString(pieces.SelectMany(p => p.Bytes).ToArray());
}

/// <summary>Tiny deterministic qwen2 models with the R1-distill tokenizer that the real llama.cpp runs as scripts.</summary>
public static class SyntheticModels
{
    /// <summary>Thinking tokens of <see cref="ScriptKind.NeverCloses"/> before its EOS.</summary>
    public const int NeverClosesTokenCount = 160;

    /// <summary>Bytes of the one long token of <see cref="ScriptKind.LongPiece"/>.</summary>
    public const int LongPieceBytes = 1024;

    private static readonly Lazy<Dictionary<ScriptKind, SyntheticModel>> Models = new(Build);
    private static readonly object FileLock = new();

    /// <summary>The model for <paramref name="kind"/> with its expected texts.</summary>
    public static SyntheticModel Get(ScriptKind kind) => Models.Value[kind];

    /// <summary>Writes the model for <paramref name="kind"/> to <paramref name="path"/>.</summary>
    public static void Write(ScriptKind kind, string path) => Get(kind).Write(path);

    /// <summary>
    /// Path of the model file for <paramref name="kind"/> in a shared temporary folder, named by a hash of its content
    /// so that processes and runs reuse it and a changed model never meets a stale file (safe from parallel tests).
    /// </summary>
    public static string GetFile(ScriptKind kind) => CachedFile(kind.ToString(), Get(kind).WriteTo);

    /// <summary>Feed-forward width of the slow variants (about 50 MB of weights that the CPU multiplies for every token).</summary>
    public const int SlowFeedForwardLength = 16384;

    /// <summary>Path of the slow variant of <paramref name="kind"/>'s model (<see cref="SyntheticModel.WriteSlowTo"/>), cached like <see cref="GetFile"/>.</summary>
    public static string GetSlowFile(ScriptKind kind) => CachedFile($"{kind}-slow", Get(kind).WriteSlowTo);

    /// <summary>
    /// Path of a draft for <paramref name="kind"/>'s model that agrees with it except at every
    /// <paramref name="divergeEvery"/>-th script token (0: always agrees); cached like <see cref="GetFile"/>.
    /// </summary>
    public static string GetDraftFile(ScriptKind kind, int divergeEvery) =>
        CachedFile($"{kind}-draft-{divergeEvery}", s => Get(kind).WriteDraftTo(s, divergeEvery));

    /// <summary>A model file written by <paramref name="write"/> in the shared temporary folder, named by a hash of its bytes.</summary>
    internal static string CachedFile(string label, Action<Stream> write)
    {
        lock (FileLock)
        {
            if (Files.TryGetValue(label, out var known)) return known;
            var ms = new MemoryStream();
            write(ms);
            var bytes = ms.ToArray();
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16].ToLowerInvariant();
            var dir = Path.Combine(Path.GetTempPath(), "reasontools-synthetic");
            var path = Path.Combine(dir, $"r1-synthetic-{label}-{hash}.gguf");
            if (!File.Exists(path) || new FileInfo(path).Length != bytes.Length)
            {
                Directory.CreateDirectory(dir);
                var temp = $"{path}.{Environment.ProcessId}.tmp";
                File.WriteAllBytes(temp, bytes);
                File.Move(temp, path, overwrite: true);
            }
            Files[label] = path;
            return path;
        }
    }

    private static readonly Dictionary<string, string> Files = [];

    private static Dictionary<ScriptKind, SyntheticModel> Build()
    {
        var models = new Dictionary<ScriptKind, SyntheticModel>();
        void Add(ScriptKind kind, string question, ScriptBuilder s) => models[kind] = new SyntheticModel(kind, question, s);

        Add(ScriptKind.ClosedChain, "What is 2 + 3?", new ScriptBuilder()
            .Text("The user asks for 2 + 3.\nStart with 2, then add 3.\nTwo plus three makes five, so the sum is 5.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\nThe answer is \\boxed{5}."));

        const string Chickens = "A farm has chickens and rabbits with 25 heads and 76 legs in total. How many chickens and how many rabbits are there?";
        Add(ScriptKind.ChickensRight, Chickens, new ScriptBuilder()
            .Text("Let c be the chickens and r the rabbits.\nHeads: c + r = 25.\nLegs: 2c + 4r = 76.\nSubtract twice the heads: 2r = 26, so r = 13 and c = 12.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\nThere are \\boxed{12 chickens, 13 rabbits}."));
        Add(ScriptKind.ChickensWrong, Chickens, new ScriptBuilder()
            .Text("Let c be the chickens and r the rabbits.\nHeads: c + r = 25.\nLegs: 2c + 4r = 76.\nSubtract twice the heads: 2r = 24, so r = 12 and c = 13.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\nThere are \\boxed{13 chickens, 12 rabbits}."));

        Add(ScriptKind.NeverCloses, "List every case.", new ScriptBuilder()
            .Each(Enumerable.Range(1, NeverClosesTokenCount).Select(i => i == 1 ? "Case 1;" : $" case {i};")));

        Add(ScriptKind.Loop, "Count the apples.", new ScriptBuilder()
            .Text("Let me count the apples again.\n")
            .LoopHere()
            .Each([" Wait,", " is", " the total", " 4?", " No,", " recount", " it."]));

        Add(ScriptKind.SplitUtf8, "Spell café and take the square root of 9.", new ScriptBuilder()
            .Text("The word is caf")
            .Raw(Encoding.UTF8.GetBytes("é"))
            .Text(" and the root ")
            .Raw(Encoding.UTF8.GetBytes("√"))
            .Text("9 equals 3.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\nSo the result is \\boxed{3}."));

        const string SumTask = "Write a Python program that reads two integers from one line of standard input and prints their sum.";
        Add(ScriptKind.SumProgramRight, SumTask, new ScriptBuilder()
            .Text("Read the line, split it, convert both parts and print the sum.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"));
        Add(ScriptKind.SumProgramWrong, SumTask, new ScriptBuilder()
            .Text("Read the line, split it, convert both parts and combine them.\n")
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\n```python\na, b = map(int, input().split())\nprint(a * b)\n```"));
        // 64 distinct 16-byte lines in one token: a piece of 1 KB.
        var longPiece = string.Concat(Enumerable.Range(0, LongPieceBytes / 16).Select(i => $"line {i:00} of 64..\n"));
        Add(ScriptKind.LongPiece, "Write one kilobyte.", new ScriptBuilder()
            .Each(["Here it is:\n", longPiece])
            .Special(R1Tokenizer.ThinkClose)
            .Text("\n\nThat was \\boxed{1024} bytes."));
        return models;
    }
}

/// <summary>Turns a script into a vocabulary, a successor map and the tensors of a qwen2 model.</summary>
internal sealed class ScriptBuilder
{
    internal sealed record Piece(byte[] Bytes, string? Special);

    private const int EmbeddingLength = 256, HeadCount = 4, HeadCountKv = 2, FeedForwardLength = 64, LayerCount = 2;
    private const float LogitWeight = 64f; // with RMS-normed one-hot input (value 16) a logit of 1024 for the successor

    public const int FirstSpecial = 256;
    public const int Bos = 256, Eos = 257, UserToken = 258, AssistantToken = 259, ThinkOpenToken = 260, ThinkCloseToken = 261;
    private const int Newline = 10;

    private static readonly Regex Words = new(@" ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+", RegexOptions.CultureInvariant);

    private readonly HashSet<string> _used = [Convert.ToHexString([Newline])];

    public List<Piece> Pieces { get; } = [];

    public int? LoopStart { get; private set; }

    /// <summary>Byte tokens, the R1 specials, then each multi-byte piece of the script in order.</summary>
    public List<(string Text, int Type)> Vocabulary
    {
        get
        {
            var vocab = BaseVocabulary();
            vocab.AddRange(Pieces.Where(p => p.Special == null && p.Bytes.Length > 1).Select(p => (R1Tokenizer.ByteLevel(p.Bytes), R1Tokenizer.Normal)));
            return vocab;
        }
    }

    public static List<(string Text, int Type)> BaseVocabulary()
    {
        var vocab = new List<(string, int)>();
        for (var b = 0; b < 256; b++) vocab.Add((R1Tokenizer.ByteLevel([(byte)b]), R1Tokenizer.Normal));
        vocab.Add((R1Tokenizer.BeginOfSentence, R1Tokenizer.Control));
        vocab.Add((R1Tokenizer.EndOfSentence, R1Tokenizer.Control));
        vocab.Add((R1Tokenizer.User, R1Tokenizer.Control));
        vocab.Add((R1Tokenizer.Assistant, R1Tokenizer.Control));
        vocab.Add((R1Tokenizer.ThinkOpen, R1Tokenizer.UserDefined));
        vocab.Add((R1Tokenizer.ThinkClose, R1Tokenizer.UserDefined));
        return vocab;
    }

    /// <summary>Text split into word-like pieces, merging neighbours where needed so that every piece is new.</summary>
    public ScriptBuilder Text(string text)
    {
        var words = Words.Matches(text).Select(m => m.Value).ToList();
        for (var i = 0; i < words.Count;)
        {
            var piece = words[i++];
            while (IsUsed(piece) && i < words.Count) piece += words[i++];
            if (IsUsed(piece))
            {
                // Ran out of words: fold into the previous piece instead.
                var previous = Pieces[^1];
                if (previous.Special != null) throw new InvalidOperationException($"Script piece '{piece}' repeats.");
                Pieces.RemoveAt(Pieces.Count - 1);
                _used.Remove(Convert.ToHexString(previous.Bytes));
                piece = Encoding.UTF8.GetString(previous.Bytes) + piece;
            }
            Add(Encoding.UTF8.GetBytes(piece));
        }
        return this;
    }

    /// <summary>Explicit pieces, one token each.</summary>
    public ScriptBuilder Each(IEnumerable<string> pieces)
    {
        foreach (var p in pieces) Add(Encoding.UTF8.GetBytes(p));
        return this;
    }

    /// <summary>Each byte as its own byte token.</summary>
    public ScriptBuilder Raw(byte[] bytes)
    {
        foreach (var b in bytes) Add([b]);
        return this;
    }

    public ScriptBuilder Special(string special)
    {
        if (special != R1Tokenizer.ThinkClose) throw new ArgumentException("Only </think> may appear in a script.", nameof(special));
        Pieces.Add(new Piece(Encoding.UTF8.GetBytes(special), special));
        return this;
    }

    /// <summary>Pieces added after this point repeat forever.</summary>
    public ScriptBuilder LoopHere()
    {
        LoopStart = Pieces.Count;
        return this;
    }

    private bool IsUsed(string piece) => _used.Contains(Convert.ToHexString(Encoding.UTF8.GetBytes(piece)));

    private void Add(byte[] bytes)
    {
        if (!_used.Add(Convert.ToHexString(bytes)))
            throw new InvalidOperationException($"Script piece '{Encoding.UTF8.GetString(bytes)}' repeats; the next token must depend on the last one only.");
        Pieces.Add(new Piece(bytes, null));
    }

    private int TokenOf(Piece piece, ref int nextScriptToken)
    {
        if (piece.Special == R1Tokenizer.ThinkClose) return ThinkCloseToken;
        return piece.Bytes.Length == 1 ? piece.Bytes[0] : nextScriptToken++;
    }

    /// <summary>A token no script uses: a diverging draft predicts it, and the target never follows it.</summary>
    private const int WrongToken = 0x01;

    public GgufWriter BuildWriter(ScriptKind kind, int divergeEvery = 0, int feedForward = FeedForwardLength)
    {
        // Token ids in script order; multi-byte pieces were appended to the vocabulary in the same order.
        var next = FirstSpecial + 6;
        var ids = Pieces.Select(p => TokenOf(p, ref next)).ToList();

        var successor = new Dictionary<int, int>
        {
            [AssistantToken] = ThinkOpenToken,
            [ThinkOpenToken] = Newline,
            [Newline] = ids[0],
        };
        for (var i = 0; i + 1 < ids.Count; i++) successor[ids[i]] = ids[i + 1];
        successor[ids[^1]] = LoopStart is { } loop ? ids[loop] : Eos;
        // A diverging draft: wrong at script tokens n, 2n, ... (each predicted from the token before it).
        if (divergeEvery > 0)
            for (var i = divergeEvery - 1; i < ids.Count; i += divergeEvery)
                successor[i == 0 ? Newline : ids[i - 1]] = WrongToken;

        var active = successor.Keys.ToList();
        var fallbackSlot = active.Count;
        if (fallbackSlot >= EmbeddingLength) throw new InvalidOperationException("Script too long for the embedding width.");
        var slot = active.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);

        var vocabulary = Vocabulary;
        var vocab = vocabulary.Count;
        var embedding = new float[(long)EmbeddingLength * vocab];
        for (var t = 0; t < vocab; t++)
            embedding[(long)t * EmbeddingLength + (slot.TryGetValue(t, out var s) ? s : fallbackSlot)] = 1f;
        var output = new float[(long)EmbeddingLength * vocab];
        foreach (var (from, to) in successor) output[(long)to * EmbeddingLength + slot[from]] = LogitWeight;
        output[(long)Eos * EmbeddingLength + fallbackSlot] = LogitWeight;

        var w = new GgufWriter();
        AddHeader(w, divergeEvery > 0 ? $"ReasonTools Synthetic R1 {kind} draft diverging every {divergeEvery}" : $"ReasonTools Synthetic R1 {kind}" + (feedForward == FeedForwardLength ? "" : " (slow)"), LayerCount, EmbeddingLength, HeadCount, HeadCountKv, feedForward, contextLength: 4096);
        AddTokenizer(w, vocabulary, Bos, Eos);
        w.AddTensor("token_embd.weight", GgmlType.F16, [EmbeddingLength, vocab], embedding);
        var kvWidth = EmbeddingLength / HeadCount * HeadCountKv;
        for (var layer = 0; layer < LayerCount; layer++)
        {
            var seed = (ulong)(layer + 1) * 7919;
            var p = $"blk.{layer}.";
            w.AddTensor(p + "attn_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
            w.AddTensor(p + "attn_q.weight", GgmlType.F16, [EmbeddingLength, EmbeddingLength], TensorFills.Random(GgmlType.F16, seed + 1));
            w.AddTensor(p + "attn_q.bias", GgmlType.F32, [EmbeddingLength], TensorFills.Zeros);
            w.AddTensor(p + "attn_k.weight", GgmlType.F16, [EmbeddingLength, kvWidth], TensorFills.Random(GgmlType.F16, seed + 2));
            w.AddTensor(p + "attn_k.bias", GgmlType.F32, [kvWidth], TensorFills.Zeros);
            w.AddTensor(p + "attn_v.weight", GgmlType.F16, [EmbeddingLength, kvWidth], TensorFills.Random(GgmlType.F16, seed + 3));
            w.AddTensor(p + "attn_v.bias", GgmlType.F32, [kvWidth], TensorFills.Zeros);
            // Zero attention output and FFN down projection: the residual stream stays the token embedding.
            w.AddTensor(p + "attn_output.weight", GgmlType.F16, [EmbeddingLength, EmbeddingLength], TensorFills.Zeros);
            w.AddTensor(p + "ffn_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
            w.AddTensor(p + "ffn_gate.weight", GgmlType.F16, [EmbeddingLength, feedForward], TensorFills.Random(GgmlType.F16, seed + 4));
            w.AddTensor(p + "ffn_up.weight", GgmlType.F16, [EmbeddingLength, feedForward], TensorFills.Random(GgmlType.F16, seed + 5));
            w.AddTensor(p + "ffn_down.weight", GgmlType.F16, [feedForward, EmbeddingLength], TensorFills.Zeros);
        }
        w.AddTensor("output_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor("output.weight", GgmlType.F16, [EmbeddingLength, vocab], output);
        return w;
    }

    /// <summary>general.* and qwen2.* keys as convert_hf_to_gguf writes them for Qwen2 models (file type F16).</summary>
    public static void AddHeader(GgufWriter w, string name, int layers, int embedding, int heads, int headsKv, int feedForward, uint contextLength)
    {
        w.Add("general.architecture", "qwen2")
         .Add("general.type", "model")
         .Add("general.name", name)
         .Add("general.file_type", 1u)
         .Add("qwen2.block_count", (uint)layers)
         .Add("qwen2.context_length", contextLength)
         .Add("qwen2.embedding_length", (uint)embedding)
         .Add("qwen2.feed_forward_length", (uint)feedForward)
         .Add("qwen2.attention.head_count", (uint)heads)
         .Add("qwen2.attention.head_count_kv", (uint)headsKv)
         .Add("qwen2.rope.freq_base", 10000f)
         .Add("qwen2.attention.layer_norm_rms_epsilon", 1e-6f);
    }

    /// <summary>tokenizer.* keys of the R1-distill Qwen files (merges empty: the vocabulary is byte-level plus whole pieces).</summary>
    public static void AddTokenizer(GgufWriter w, IReadOnlyList<(string Text, int Type)> vocab, int bos, int eos)
    {
        w.Add("tokenizer.ggml.model", "gpt2")
         .Add("tokenizer.ggml.pre", "deepseek-r1-qwen")
         .Add("tokenizer.ggml.tokens", vocab.Select(v => v.Text).ToArray())
         .Add("tokenizer.ggml.token_type", vocab.Select(v => v.Type).ToArray())
         .Add("tokenizer.ggml.merges", Array.Empty<string>())
         .Add("tokenizer.ggml.bos_token_id", (uint)bos)
         .Add("tokenizer.ggml.eos_token_id", (uint)eos)
         .Add("tokenizer.ggml.padding_token_id", (uint)eos)
         .Add("tokenizer.ggml.add_bos_token", true)
         .Add("tokenizer.ggml.add_eos_token", false)
         .Add("tokenizer.chat_template", R1Tokenizer.ChatTemplate);
    }
}
