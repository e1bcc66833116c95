using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>The sampler chain of one sequence: penalties, then greedy, or top-k, top-p, min-p, temperature and a seeded draw.</summary>
internal static class SamplerChains
{
    public static LlamaSamplerHandle Create(IntPtr vocab, ReasonRequest request, uint seed)
    {
        var chain = Llama.SamplerChain(Llama.SamplerChainDefaultParams());
        try
        {
            if (request.RepeatPenalty != 1f || request.PresencePenalty != 0f)
                Llama.ChainAdd(chain, Llama.Penalties(Llama.VocabSize(vocab), request.PenaltyLastN, request.RepeatPenalty, 0f, request.PresencePenalty));
            if (request.Temperature <= 0f)
            {
                Llama.ChainAdd(chain, Llama.Greedy());
                return chain;
            }
            if (request.TopK > 0) Llama.ChainAdd(chain, Llama.TopK(request.TopK));
            if (request.TopP is > 0f and < 1f) Llama.ChainAdd(chain, Llama.TopP(request.TopP));
            if (request.MinP > 0f) Llama.ChainAdd(chain, Llama.MinP(request.MinP));
            Llama.ChainAdd(chain, Llama.Temperature(request.Temperature));
            Llama.ChainAdd(chain, Llama.Dist(seed));
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
