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
/// Opens the model a reference names: a GGUF path, a catalog size ("7b"), a model name (optionally with a
/// quantization) or an Ollama tag, found locally by <see cref="Models.ModelResolver"/>; or a remote endpoint
/// (<c>openai:URL#model</c>, <c>ollama:URL#model</c>, a named endpoint of the settings file). Every front accepts the same forms.
/// </summary>
public static class ModelOpener
{
    public static Task<IReasonModel> OpenAsync(string reference, EngineOptions? options = null, IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default) => OpenAsync(reference, options, null, progress, cancellationToken);

    /// <summary>
    /// Opens a model; a local one through the process's <see cref="Hosting.ModelHost"/>, so it stays resident for
    /// <paramref name="keepAlive"/> (null: the host's default) after the returned model is disposed. With
    /// <see cref="EngineOptions.Parallel"/> 1 the open is shared (<see cref="Hosting.ModelHost.OpenSharedAsync"/>): callers
    /// of the same model at the same time each get a sequence of one batch.
    /// </summary>
    public static async Task<IReasonModel> OpenAsync(string reference, EngineOptions? options, TimeSpan? keepAlive, IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw Models.ModelResolver.NoModelGiven();
        // Remote endpoints: openai:URL#model, ollama:URL#model, or a name from the settings' endpoints.
        if (Remote.RemoteModelReference.TryParse(reference, out var remote))
            return await Remote.RemoteModel.OpenAsync(remote!, new Remote.RemoteClientOptions { ContextSize = options?.ContextSize }, cancellationToken).ConfigureAwait(false);
        var path = Models.ModelResolver.ResolveLocal(reference);
        return await Hosting.ModelHost.Shared.OpenSharedAsync(path, options, keepAlive, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat template a reference's model formats prompts with, read without loading weights (null: the R1 layout).</summary>
    public static string? ChatTemplate(string reference) =>
        Remote.RemoteModelReference.TryParse(reference, out _) ? null
        : Gguf.GgufReader.Read(Path.GetFullPath(Models.ModelResolver.ResolveLocal(reference))).ChatTemplate;
}
