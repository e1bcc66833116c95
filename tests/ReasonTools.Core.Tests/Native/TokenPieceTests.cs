using ReasonTools.Core.Inference;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Native;

/// <summary>Token pieces longer than the decoder's first buffer come out whole, through the real llama.cpp.</summary>
[Collection(EngineCollection.Name)]
public sealed class TokenPieceTests
{
    [Fact]
    public async Task A_one_kilobyte_vocabulary_token_is_decoded_whole()
    {
        var script = SyntheticModels.Get(ScriptKind.LongPiece);
        using var engine = await ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.LongPiece), new EngineOptions { ContextSize = 512, Threads = 1 });

        var result = await engine.RunAsync(new ReasonRequest { Prompt = script.Question, Seed = 1 });

        Assert.Contains("line 63 of 64..", script.ThinkingText);
        Assert.True(script.ThinkingText.Length > SyntheticModels.LongPieceBytes);
        Assert.Equal(script.ThinkingText.Trim(), result.Thinking.Trim());
        Assert.Equal("1024", result.FinalAnswer);
        Assert.Equal(script.GeneratedTokenCount, result.Timings.GeneratedTokens);
    }
}
