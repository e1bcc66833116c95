namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// The distribution a request samples from, computed from raw logits the way the engine's llama.cpp sampler chain
/// does (top-k, then top-p and min-p on the untempered softmax, then temperature), kept sparse: speculative
/// sampling needs the probabilities themselves (p of the target and q of the draft), which the chain never exposes.
/// </summary>
internal sealed class TokenDistribution
{
    private readonly int _topK;
    private readonly float _topP, _minP, _temperature;
    private int[] _tokens = new int[64];
    private float[] _logits = new float[64];

    public TokenDistribution(ReasonRequest request)
    {
        _topK = request.TopK;
        _topP = request.TopP;
        _minP = request.MinP;
        _temperature = request.Temperature;
    }

    /// <summary>True at temperature 0 or below: the next token is the argmax, and nothing is random.</summary>
    public bool IsGreedy => _temperature <= 0f;

    /// <summary>The token with the highest logit; the first of equals, as llama.cpp's greedy sampler picks.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        var max = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
            if (logits[i] > max) { max = logits[i]; best = i; }
        return best;
    }

    /// <summary>The tokens that may be sampled and their probabilities (summing to 1), most probable first.</summary>
    public SparseDistribution From(ReadOnlySpan<float> raw)
    {
        var count = Candidates(raw);
        Array.Sort(_logits, _tokens, 0, count, DescendingComparer.Instance);
        // Top-p and min-p look at the untempered distribution, as they come before temperature in the chain.
        if (_topP is > 0f and < 1f || _minP > 0f)
        {
            var probabilities = Softmax(_logits.AsSpan(0, count), 1f);
            var keep = count;
            if (_topP is > 0f and < 1f)
            {
                var sum = 0.0;
                for (var i = 0; i < count; i++)
                {
                    sum += probabilities[i];
                    if (sum >= _topP) { keep = i + 1; break; }
                }
            }
            if (_minP > 0f)
            {
                var floor = _logits[0] + MathF.Log(_minP);
                var above = 1;
                while (above < keep && _logits[above] >= floor) above++;
                keep = above;
            }
            count = keep;
        }
        return new SparseDistribution(_tokens[..count], Softmax(_logits.AsSpan(0, count), _temperature));
    }

    /// <summary>Copies the top-k logits (every logit when top-k is off) into the work arrays; returns how many.</summary>
    private int Candidates(ReadOnlySpan<float> raw)
    {
        var k = _topK > 0 ? Math.Min(_topK, raw.Length) : raw.Length;
        if (_tokens.Length < k) { _tokens = new int[k]; _logits = new float[k]; }
        if (k == raw.Length)
        {
            for (var i = 0; i < k; i++) { _tokens[i] = i; _logits[i] = raw[i]; }
            return k;
        }
        // A min-heap of the k best seen so far: one pass over a 152k vocabulary.
        var heap = 0;
        for (var t = 0; t < raw.Length; t++)
        {
            var value = raw[t];
            if (heap < k) { _logits[heap] = value; _tokens[heap] = t; SiftUp(heap++); }
            else if (value > _logits[0]) { _logits[0] = value; _tokens[0] = t; SiftDown(k); }
        }
        return k;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (_logits[parent] <= _logits[i]) break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int count)
    {
        var i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, smallest = i;
            if (left < count && _logits[left] < _logits[smallest]) smallest = left;
            if (right < count && _logits[right] < _logits[smallest]) smallest = right;
            if (smallest == i) return;
            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_logits[a], _logits[b]) = (_logits[b], _logits[a]);
        (_tokens[a], _tokens[b]) = (_tokens[b], _tokens[a]);
    }

    private static float[] Softmax(ReadOnlySpan<float> sortedLogits, float temperature)
    {
        var t = temperature > 0f ? temperature : 1f;
        var result = new float[sortedLogits.Length];
        var max = sortedLogits[0];
        var sum = 0.0;
        for (var i = 0; i < result.Length; i++) sum += result[i] = MathF.Exp((sortedLogits[i] - max) / t);
        for (var i = 0; i < result.Length; i++) result[i] = (float)(result[i] / sum);
        return result;
    }

    private sealed class DescendingComparer : IComparer<float>
    {
        public static readonly DescendingComparer Instance = new();
        public int Compare(float x, float y) => y.CompareTo(x);
    }
}

/// <summary>A probability distribution over a few tokens (the rest have probability 0).</summary>
internal sealed class SparseDistribution(int[] tokens, float[] probabilities)
{
    public int[] Tokens { get; } = tokens;
    public float[] Probabilities { get; } = probabilities;

    /// <summary>A certain token (an n-gram draft's proposal).</summary>
    public static SparseDistribution Certain(int token) => new([token], [1f]);

    public float this[int token]
    {
        get
        {
            var i = Array.IndexOf(Tokens, token);
            return i < 0 ? 0f : Probabilities[i];
        }
    }

    /// <summary>Draws a token with <paramref name="uniform"/> in [0, 1).</summary>
    public int Sample(double uniform)
    {
        var sum = 0.0;
        for (var i = 0; i < Tokens.Length; i++)
        {
            sum += Probabilities[i];
            if (uniform < sum) return Tokens[i];
        }
        return Tokens[^1];
    }

    /// <summary>
    /// The chance that speculative sampling keeps a token drawn from <paramref name="q"/> where this is the target's
    /// distribution: the sum over tokens of min(p, q).
    /// </summary>
    public double Overlap(SparseDistribution q)
    {
        var sum = 0.0;
        for (var i = 0; i < Tokens.Length; i++) sum += Math.Min(Probabilities[i], q[Tokens[i]]);
        return sum;
    }

    /// <summary>
    /// The normalised residual max(0, p - q) that speculative sampling draws from after rejecting a draft token
    /// (Leviathan et al. 2023); p itself when nothing is left (q covers p, which only rounding can cause).
    /// </summary>
    public SparseDistribution Residual(SparseDistribution q)
    {
        var rest = new float[Tokens.Length];
        var sum = 0.0;
        for (var i = 0; i < Tokens.Length; i++) sum += rest[i] = Math.Max(0f, Probabilities[i] - q[Tokens[i]]);
        if (sum <= 0) return this;
        for (var i = 0; i < rest.Length; i++) rest[i] = (float)(rest[i] / sum);
        return new SparseDistribution(Tokens, rest);
    }
}
