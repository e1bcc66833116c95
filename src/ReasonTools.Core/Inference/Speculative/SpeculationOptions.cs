namespace ReasonTools.Core.Inference.Speculative;

/// <summary>How speculative decoding runs once a draft is attached to an engine.</summary>
public sealed record SpeculationOptions
{
    /// <summary>Most tokens a draft proposes per round.</summary>
    public int MaxDraftTokens { get; init; } = 8;

    /// <summary>Adapt the draft length to the measured acceptance (off: always <see cref="MaxDraftTokens"/>).</summary>
    public bool AdaptDraftLength { get; init; } = true;

    /// <summary>
    /// Measure plain decoding at the start of a generation and switch speculation off for the rest of it when
    /// drafting costs more per token than it saves.
    /// </summary>
    public bool SwitchOffWhenSlower { get; init; } = true;

    internal void Validate()
    {
        if (MaxDraftTokens is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(MaxDraftTokens), $"A draft proposes 1 to 64 tokens per round, not {MaxDraftTokens}.");
    }
}
