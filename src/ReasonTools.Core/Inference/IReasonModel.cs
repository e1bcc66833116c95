namespace ReasonTools.Core.Inference;

/// <summary>
/// A model that answers requests: a local GGUF loaded through llama.cpp (<see cref="ReasonEngine"/>), or a
/// remote endpoint. Runs and comparisons use this, so every kind of model gives the same results.
/// </summary>
public interface IReasonModel : IDisposable
{
    /// <summary>The model as results report it.</summary>
    ModelInfo Model { get; }

    /// <summary>Tokens of <paramref name="text"/> with the model's tokenizer (estimated where the tokenizer is not at hand).</summary>
    int CountTokens(string text);

    /// <summary>Streams one generation; the last update carries the result.</summary>
    IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Opens the model a reference names. A reference is a GGUF path today; catalog names, Ollama tags and
/// remote endpoints resolve here as well, so every front accepts the same forms.
/// </summary>
public static class ModelOpener
{
    public static async Task<IReasonModel> OpenAsync(string reference, EngineOptions? options = null, IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference)) throw new ArgumentException("No model given: pass a GGUF path.");
        return await ReasonEngine.LoadAsync(reference, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat template a reference's model formats prompts with, read without loading weights (null: the R1 layout).</summary>
    public static string? ChatTemplate(string reference) => Gguf.GgufReader.Read(Path.GetFullPath(reference)).ChatTemplate;
}
