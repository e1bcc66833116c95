using System.Globalization;

namespace ReasonTools.Core.Gguf;

/// <summary>
/// Checks, before llama.cpp sees a file, every hyperparameter that the pinned llama.cpp (node-llama-cpp 3.21.1 and
/// 3.22.1 agree here) asserts on or divides by while loading a qwen2 or llama model, building its graph and running
/// the ggml ops that graph uses. A failed GGML_ASSERT aborts the whole process (a PowerShell session with it), so each
/// of them becomes an <see cref="InvalidModelException"/> naming the key and value instead (pure).
/// <list type="bullet">
/// <item>llama-model.cpp load_hparams: block_count in 1..512 (LLAMA_MAX_LAYERS); nextn_predict_layers &lt;= block_count;
///   expert_count &lt;= 1024 (LLAMA_MAX_EXPERTS); expert_used_count &lt;= expert_count, &gt; 0 with experts and 0
///   without; expert_group_count &lt; expert_count and dividing it, expert_group_used_count in 1..groups-1;
///   rope.scaling.type one of none, linear, yarn, longrope; rope.dimension_count equal to the head size (llama throws,
///   qwen2 asserts in its graph).</item>
/// <item>models/qwen2.cpp, models/llama.cpp graphs: key_length == value_length == rope.dimension_count; qwen2 reshapes
///   its n_embd-wide Q into head_count heads, so head size x head_count == embedding_length.</item>
/// <item>ggml-cpu ops.cpp: rms_norm asserts eps &gt;= 0 (NaN fails it); rope asserts n_dims even and &lt;= the head size;
///   attention broadcasts K/V heads over Q heads (head_count a multiple of head_count_kv).</item>
/// <item>Divisions: embedding_length / head_count (head size default), head_count / head_count_kv, 1/sqrt(head size).</item>
/// <item>llama-vocab.cpp: tokens must be unique (GGML_ASSERT id_to_token.size() == token_to_id.size(); an empty token is
///   renamed "[EMPTY_i]" first); with add_bos_token the BOS id must name a token (asserted when tokenizing).</item>
/// </list>
/// Other architectures are refused: their loaders and graphs have not been audited.
/// </summary>
public static class ModelHyperparameters
{
    /// <summary>Architectures whose asserts are checked here (the R1 distills are qwen2 and llama).</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } = ["qwen2", "llama"];

    private const long MaxLayers = 512, MaxExperts = 1024;
    private static readonly string[] RopeScalingTypes = ["none", "linear", "yarn", "longrope"];

    /// <summary>Throws <see cref="InvalidModelException"/> at the first hyperparameter llama.cpp could not run.</summary>
    public static void Validate(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var m = file.Metadata;
        var arch = m.TryGetString("general.architecture");
        if (arch is null || !SupportedArchitectures.Contains(arch))
            throw new InvalidModelException("general.architecture", Show(m, "general.architecture"),
                $"ReasonTools runs {string.Join(" and ", SupportedArchitectures)} models (the DeepSeek-R1 distills).");
        string K(string suffix) => $"{arch}.{suffix}";

        var layers = Scalar(m, K("block_count"), required: true)!.Value;
        Require(m, K("block_count"), layers is >= 1 and <= MaxLayers, $"must be 1 to {MaxLayers} layers");
        var nextn = Scalar(m, K("nextn_predict_layers")) ?? 0;
        Require(m, K("nextn_predict_layers"), nextn <= layers, "cannot exceed block_count");
        Require(m, K("context_length"), Scalar(m, K("context_length"), required: true) >= 1, "must be at least 1 token");

        CheckExperts(m, K, layers);

        var embedding = Scalar(m, K("embedding_length"), required: true)!.Value;
        Require(m, K("embedding_length"), embedding is >= 1 and <= uint.MaxValue, "must be a positive 32-bit count");
        var heads = PerLayer(m, K("attention.head_count"), layers, required: true)!;
        Require(m, K("attention.head_count"), heads.All(h => h is >= 1 and <= uint.MaxValue), "every layer needs at least one attention head");
        var headsKv = PerLayer(m, K("attention.head_count_kv"), layers) ?? heads;
        for (var il = 0; il < headsKv.Count; il++)
        {
            var q = heads[Math.Min(il, heads.Count - 1)];
            Require(m, K("attention.head_count_kv"), headsKv[il] >= 1 && headsKv[il] <= q && q % headsKv[il] == 0,
                "must be at least 1 and divide attention.head_count (each K/V head serves a whole group of query heads)");
        }

        CheckHeadSize(m, K, arch, embedding, heads[0]);

        if ((Scalar(m, K("expert_count")) ?? 0) == 0)
            Require(m, K("feed_forward_length"), (PerLayer(m, K("feed_forward_length"), layers, required: true) ?? []).All(f => f is >= 1 and <= uint.MaxValue),
                "must be a positive width for every layer");

        var eps = Float(m, K("attention.layer_norm_rms_epsilon"), required: true)!.Value;
        Require(m, K("attention.layer_norm_rms_epsilon"), double.IsFinite(eps) && eps >= 0, "must be a finite number of at least 0");
        if (Float(m, K("rope.freq_base")) is { } theta)
            Require(m, K("rope.freq_base"), double.IsFinite(theta) && theta > 0, "must be a finite number above 0");
        if (m.TryGetValue(K("rope.scaling.type"), out var scaling))
            Require(m, K("rope.scaling.type"), scaling.Value is string s && RopeScalingTypes.Contains(s), $"must be one of {string.Join(", ", RopeScalingTypes)}");

        CheckVocabulary(m);
    }

    private static void CheckExperts(GgufMetadata m, Func<string, string> K, long layers)
    {
        var experts = Scalar(m, K("expert_count")) ?? 0;
        Require(m, K("expert_count"), experts <= MaxExperts, $"cannot exceed {MaxExperts} experts");
        var used = (PerLayer(m, K("expert_used_count"), layers) ?? [0]).Max();
        var groups = Scalar(m, K("expert_group_count")) ?? 0;
        var groupsUsed = Scalar(m, K("expert_group_used_count")) ?? 0;
        Require(m, K("expert_used_count"), used <= experts, "cannot exceed expert_count");
        if (experts > 0)
        {
            Require(m, K("expert_used_count"), used > 0, "must be at least 1 when the model has experts");
            Require(m, K("expert_group_count"), groups < experts, "must be below expert_count");
            if (groups > 1)
            {
                Require(m, K("expert_group_count"), experts % groups == 0, "must divide expert_count");
                Require(m, K("expert_group_used_count"), groupsUsed > 0 && groupsUsed < groups, "must be at least 1 and below expert_group_count");
            }
        }
        else
        {
            Require(m, K("expert_group_count"), groups == 0, "must be 0 when the model has no experts");
        }
    }

    private static void CheckHeadSize(GgufMetadata m, Func<string, string> K, string arch, long embedding, long heads)
    {
        // Without key_length the head size is embedding_length / head_count: then those are the keys at fault.
        var sizeKey = m.ContainsKey(K("attention.key_length")) ? K("attention.key_length") : K("embedding_length");
        var keyLength = Scalar(m, K("attention.key_length")) ?? embedding / heads;
        Require(m, sizeKey, keyLength is >= 2 and <= uint.MaxValue && keyLength % 2 == 0,
            $"the head size ({keyLength}) must be an even number of at least 2");
        if (arch == "qwen2")
            Require(m, sizeKey, keyLength * heads == embedding, $"head size x head_count ({keyLength} x {heads}) must equal embedding_length {embedding}");
        var valueLength = Scalar(m, K("attention.value_length")) ?? embedding / heads;
        Require(m, K("attention.value_length"), valueLength == keyLength, $"must equal the key head size {keyLength}");
        var rope = Scalar(m, K("rope.dimension_count")) ?? keyLength;
        Require(m, K("rope.dimension_count"), rope == keyLength, $"must equal the head size {keyLength}");
    }

    private static void CheckVocabulary(GgufMetadata m)
    {
        const string TokensKey = "tokenizer.ggml.tokens";
        if (!m.TryGetValue(TokensKey, out var tokensValue)) return; // llama.cpp reports a missing vocabulary itself
        if (tokensValue.Value is not string[] tokens) throw Invalid(m, TokensKey, "must be an array of strings");
        var seen = new HashSet<string>(tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++)
        {
            var text = tokens[i].Length == 0 ? $"[EMPTY_{i}]" : tokens[i];
            if (!seen.Add(text))
                throw new InvalidModelException(TokensKey, $"{tokens.Length} tokens", $"token {i} ({Quote(text)}) appears twice; every token must be unique");
        }
        var bos = Scalar(m, "tokenizer.ggml.bos_token_id");
        if (m.TryGetBool("tokenizer.ggml.add_bos_token") == true)
            Require(m, "tokenizer.ggml.bos_token_id", bos is { } b && b >= 0 && b < tokens.Length,
                $"must name one of the {tokens.Length} tokens, as add_bos_token is set");
    }

    private static long? Scalar(GgufMetadata m, string key, bool required = false)
    {
        if (!m.TryGetValue(key, out var value)) return required ? throw Invalid(m, key, "is required") : null;
        return value.IsArray || m.TryGetInt64(key) is not { } v ? throw Invalid(m, key, "must be an unsigned integer") : v;
    }

    /// <summary>A per-layer value (scalar or array, as llama.cpp's get_key_or_arr reads it).</summary>
    private static IReadOnlyList<long>? PerLayer(GgufMetadata m, string key, long layers, bool required = false)
    {
        if (!m.TryGetValue(key, out var value)) return required ? throw Invalid(m, key, "is required") : null;
        if (!value.IsArray) return [Scalar(m, key)!.Value];
        IReadOnlyList<long> values;
        try { values = value.GetInt64Array(); }
        catch (GgufFormatException) { throw Invalid(m, key, "must be an unsigned integer or an array of them"); }
        Require(m, key, values.Count == layers, $"needs exactly one value per layer ({layers})");
        return values;
    }

    private static double? Float(GgufMetadata m, string key, bool required = false)
    {
        if (!m.TryGetValue(key, out _)) return required ? throw Invalid(m, key, "is required") : null;
        return m.TryGetDouble(key) ?? throw Invalid(m, key, "must be a float");
    }

    private static void Require(GgufMetadata m, string key, bool holds, string problem)
    {
        if (!holds) throw Invalid(m, key, problem);
    }

    private static InvalidModelException Invalid(GgufMetadata m, string key, string problem) => new(key, Show(m, key), problem);

    private static string Show(GgufMetadata m, string key)
    {
        if (!m.TryGetValue(key, out var v)) return "missing";
        if (v.IsArray && v.Value is Array { Length: <= 8 } small && v.ElementType != GgufValueType.String)
            return "[" + string.Join(", ", small.Cast<IFormattable>().Select(x => x.ToString(null, CultureInfo.InvariantCulture))) + "]";
        return v.Value is string s ? Quote(s) : v.ToString();
    }

    // Names from a hostile file are shown, not obeyed: control characters become escapes and length is bounded.
    private static string Quote(string s)
    {
        var shown = s.Length > 64 ? s[..64] + "…" : s;
        return "'" + string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "'";
    }
}
