namespace ReasonTools.Core.Inference;

/// <summary>
/// Why a result with finish reason "length" stopped: the limit it reached and the setting that raises it. The requested
/// limit is the maximum-tokens setting; when the context left fewer tokens after the prompt, the context size is.
/// </summary>
/// <param name="Tokens">The limit reached, in generated tokens.</param>
/// <param name="Setting">The setting that raises it (<see cref="SettingNames.MaxTokens"/> or <see cref="SettingNames.ContextSize"/>).</param>
/// <param name="CutChain">True when the reasoning chain itself was cut (no answer followed), false when the answer was.</param>
public sealed record TokenLimit(int Tokens, string Setting, bool CutChain)
{
    /// <summary>The limit <paramref name="result"/> was cut by; null unless its finish reason is length.</summary>
    public static TokenLimit? Of(ReasonResult result)
    {
        if (result.FinishReason != FinishReason.Length) return null;
        var s = result.Settings;
        var contextBound = s.ContextSize > 0 && result.Timings.PromptTokens + s.MaxTokens >= s.ContextSize;
        return new TokenLimit(s.MaxTokens, contextBound ? SettingNames.ContextSize : SettingNames.MaxTokens, !result.ReasoningComplete);
    }

    /// <summary>"the reasoning chain was cut by the token limit (60 tokens): raise it with --max-tokens", in a front's words.</summary>
    public string Describe(IFailureWording wording)
    {
        var what = CutChain ? "the reasoning chain" : "the answer";
        return Setting == SettingNames.ContextSize
            ? $"{what} was cut by the token limit ({Tokens} tokens, what the context left after the prompt): raise it with a larger context ({wording.Setting(Setting)})"
            : $"{what} was cut by the token limit ({Tokens} tokens): raise it with {wording.Setting(Setting)}";
    }
}
