namespace ReasonTools.Core.Inference.Speculative;

/// <summary>What kind of draft speculative decoding uses.</summary>
public enum DraftKind
{
    /// <summary>The smallest local model with the target's vocabulary, when the target is at least 4× larger and both fit.</summary>
    Auto,
    /// <summary>No speculation: plain decoding.</summary>
    None,
    /// <summary>Prompt lookup: earlier text of the prompt and the chain, no second model.</summary>
    NGram,
    /// <summary>A model given by path or name.</summary>
    Model,
}

/// <summary>The draft a run asks for: auto (the default), none, ngram, or a model's path or name.</summary>
public sealed record DraftChoice(DraftKind Kind, string? Reference = null)
{
    /// <summary>How results name the prompt-lookup draft.</summary>
    public const string NGramName = "ngram";

    public static DraftChoice Auto { get; } = new(DraftKind.Auto);
    public static DraftChoice None { get; } = new(DraftKind.None);
    public static DraftChoice NGram { get; } = new(DraftKind.NGram);

    /// <summary>Reads "auto", "none", "ngram" (any case), or takes the text as a model's path or name.</summary>
    public static DraftChoice Parse(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto;
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase)) return None;
        if (value.Equals(NGramName, StringComparison.OrdinalIgnoreCase)) return NGram;
        return new DraftChoice(DraftKind.Model, value);
    }

    public override string ToString() => Kind switch
    {
        DraftKind.Model => Reference!,
        DraftKind.NGram => NGramName,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
