namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// The distribution a request samples from, computed from raw logits the way the engine's llama.cpp sampler chain
/// does (top-k, then top-p and min-p on the untempered softmax, then temperature), kept sparse: speculative
/// sampling needs the probabilities themselves (p of the target and q of the draft), which the chain never exposes.
/// </summary>
internal sealed class TokenDistribution
{
    private readonly int topK;
    private readonly float topP, minP, temperature;
    private int[] tokens = new int[64];
    private float[] logits = new float[64];

    public TokenDistribution(ReasonRequest request)
    {
        topK = request.TopK;
        topP = request.TopP;
        minP = request.MinP;
        temperature = request.Temperature;
    }

    /// <summary>True at temperature 0 or below: the next token is the argmax, and nothing is random.</summary>
    public bool IsGreedy => temperature <= 0f;

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
        Array.Sort(logits, tokens, 0, count, DescendingComparer.Instance);
        // Top-p and min-p look at the untempered distribution, as they come before temperature in the chain.
        if (topP is > 0f and < 1f || minP > 0f)
        {
            var probabilities = Softmax(logits.AsSpan(0, count), 1f);
            var keep = count;
            if (topP is > 0f and < 1f)
            {
                var sum = 0.0;
                for (var i = 0; i < count; i++)
                {
                    sum += probabilities[i];
                    if (sum >= topP) { keep = i + 1; break; }
                }
            }
            if (minP > 0f)
            {
                var floor = logits[0] + MathF.Log(minP);
                var above = 1;
                while (above < keep && logits[above] >= floor) above++;
                keep = above;
            }
            count = keep;
        }
        return new SparseDistribution(tokens[..count], Softmax(logits.AsSpan(0, count), temperature));
    }

    /// <summary>Copies the top-k logits (every logit when top-k is off) into the work arrays; returns how many.</summary>
    private int Candidates(ReadOnlySpan<float> raw)
    {
        var k = topK > 0 ? Math.Min(topK, raw.Length) : raw.Length;
        if (tokens.Length < k) { tokens = new int[k]; logits = new float[k]; }
        if (k == raw.Length)
        {
            for (var i = 0; i < k; i++) { tokens[i] = i; logits[i] = raw[i]; }
            return k;
        }
        // A min-heap of the k best seen so far: one pass over a 152k vocabulary.
        var heap = 0;
        for (var t = 0; t < raw.Length; t++)
        {
            var value = raw[t];
            if (heap < k) { logits[heap] = value; tokens[heap] = t; SiftUp(heap++); }
            else if (value > logits[0]) { logits[0] = value; tokens[0] = t; SiftDown(k); }
        }
        return k;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (logits[parent] <= logits[i]) break;
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
            if (left < count && logits[left] < logits[smallest]) smallest = left;
            if (right < count && logits[right] < logits[smallest]) smallest = right;
            if (smallest == i) return;
            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (logits[a], logits[b]) = (logits[b], logits[a]);
        (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
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
