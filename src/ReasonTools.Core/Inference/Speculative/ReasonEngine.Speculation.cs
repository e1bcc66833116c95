using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference;

// Speculative decoding's part of the engine: the attached draft, and the session a generation runs with it.
public sealed partial class ReasonEngine
{
    /// <summary>Targets smaller than this have nothing 4× smaller in the family, so <c>auto</c> does not search.</summary>
    private const long SmallestTargetWorthADraft = 2_000_000_000;

    private IDraftProposer? _draft;

    /// <summary>The draft attached (a model's name, or "ngram"), or null when generations decode plainly.</summary>
    public string? DraftModel => _draft?.Name;

    /// <summary>Why <c>auto</c> attached no draft (null when one is attached or none was asked for).</summary>
    public string? DraftNote { get; private set; }

    /// <summary>
    /// Attaches the draft <paramref name="choice"/> names (replacing any), or detaches with <see cref="DraftChoice.None"/>.
    /// A named model whose vocabulary differs is refused with <see cref="DraftVocabularyException"/>.
    /// </summary>
    public void AttachDraft(DraftChoice choice, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _oneAtATime.Wait(cancellationToken);
        try
        {
            _draft?.Dispose();
            _draft = null;
            DraftNote = null;
            Options.Speculation.Validate();
            _draft = choice.Kind switch
            {
                DraftKind.None => null,
                DraftKind.NGram => new NGramDraft(),
                DraftKind.Model => OpenModelDraft(ModelResolver.ResolveLocal(choice.Reference!)),
                _ => OpenAutoDraft(cancellationToken),
            };
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private ModelDraft OpenModelDraft(string path)
    {
        var full = Path.GetFullPath(path);
        var file = GgufReader.Read(full);
        DraftVocabulary.EnsureCompatible(File, Model.Name, file, file.Name ?? Path.GetFileName(full));
        return ModelDraft.Load(full, file, Options);
    }

    private ModelDraft? OpenAutoDraft(CancellationToken ct)
    {
        var chosen = FindAutoDraft(File, Model.Path!, Options, ct, out var why);
        if (chosen is null)
        {
            DraftNote = why;
            return null;
        }
        return ModelDraft.Load(Path.GetFullPath(chosen.Model.Path), chosen.File, Options);
    }

    /// <summary>
    /// The draft <c>auto</c> would attach to the model at <paramref name="modelPath"/> (null, with why, when none): the
    /// smallest local model of the same vocabulary, at least 4× smaller, that fits beside it. Read without loading weights.
    /// </summary>
    internal static DraftCandidate? FindAutoDraft(GgufFile file, string modelPath, EngineOptions options, CancellationToken ct, out string? why)
    {
        why = null;
        if (file.ParameterCount < SmallestTargetWorthADraft) return null;
        var located = ModelLocator.Locate(cancellationToken: ct).Models.ToList();
        // Files beside the model count too: a folder of GGUFs passed by path is where its family lives.
        var folder = Path.GetDirectoryName(modelPath);
        if (folder is not null)
            foreach (var path in Directory.EnumerateFiles(folder, "*.gguf"))
                try { located.Add(ModelLocator.Inspect(path)); } catch (Exception e) when (e is GgufFormatException or IOException) { }
        var candidates = located
            .Where(m => m.Parameters * DraftChooser.MinimumSizeRatio <= file.ParameterCount)
            .DistinctBy(m => Path.GetFullPath(m.Path))
            .Select(m => TryRead(m.Path) is { } f ? new DraftCandidate(m, f) : null)
            .OfType<DraftCandidate>();
        var machine = MachineProbe.Current.ProbeAsync(ct).GetAwaiter().GetResult();
        var fit = new FitOptions { ContextSize = options.ContextSize, UBatchSize = options.MicroBatchSize };
        return DraftChooser.Choose(file, modelPath, candidates, machine, fit, out why);
    }

    private static GgufFile? TryRead(string path)
    {
        try { return GgufReader.Read(path); }
        catch (Exception e) when (e is GgufFormatException or IOException) { return null; }
    }

    /// <summary>Loads the draft the options ask for; an engine whose draft cannot be opened is freed.</summary>
    private static ReasonEngine WithDraft(ReasonEngine engine, CancellationToken ct)
    {
        if (engine.Options.Draft.Kind == DraftKind.None) return engine;
        try
        {
            engine.AttachDraft(engine.Options.Draft, ct);
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A speculative session for this generation, or null for plain decoding: no draft, or a request with repetition
    /// or presence penalties (their history-dependent logits are the sampler chain's own).
    /// </summary>
    private unsafe SpeculativeSession? BeginSpeculation(LlamaContextHandle ctx, ReasonRequest request, uint seed, int[] promptTokens)
    {
        if (_draft is null || !request.Speculate || request.RepeatPenalty != 1f || request.PresencePenalty != 0f) return null;
        return new SpeculativeSession(ctx, Llama.VocabSize(_vocab), _draft, request, seed, promptTokens, Options.ContextSize, Options.Speculation, (IntPtr)_abortFlag);
    }

    private static ReasonResult WithDraftCounts(ReasonResult result, SpeculativeSession? speculation) => speculation is null ? result : result with
    {
        Timings = result.Timings with
        {
            DraftModel = speculation.DraftName,
            DraftedTokens = speculation.DraftedTokens,
            AcceptedDraftTokens = speculation.AcceptedDraftTokens,
        },
    };

    private void DisposeDraft()
    {
        _draft?.Dispose();
        _draft = null;
    }
}
