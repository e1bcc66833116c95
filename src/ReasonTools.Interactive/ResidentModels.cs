using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Core.Remote;

namespace ReasonTools.Interactive;

/// <summary>
/// Keeps the last model a <c>#!reason</c> cell used loaded for the life of the kernel, so the next cell on the same
/// model and settings pays no load. One model at a time: asking for another frees the previous one first, so two
/// large models are never resident together.
/// </summary>
internal sealed class ResidentModels : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Path, EngineOptions Options)? _key;
    private IReasonModel? _model;

    /// <summary>The loaded model for <paramref name="reference"/>, and whether it was already loaded (no load paid).</summary>
    public async Task<(IReasonModel Model, bool Reused)> AcquireAsync(string reference, EngineOptions options, IProgress<LoadProgress>? progress,
        CancellationToken cancellationToken)
    {
        // The same file named two ways (a size, a path) is one resident model.
        var path = RemoteModelReference.TryParse(reference, out _) ? reference : Path.GetFullPath(ModelResolver.ResolveLocal(reference));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_model is not null && _key == (path, options)) return (_model, true);
            _model?.Dispose();
            _model = null;
            _key = null;
            _model = await ModelOpener.OpenAsync(path, options, progress, cancellationToken).ConfigureAwait(false);
            _key = (path, options);
            return (_model, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Frees the resident model, if any.</summary>
    public void Dispose()
    {
        _model?.Dispose();
        _model = null;
        _key = null;
        _gate.Dispose();
    }
}
