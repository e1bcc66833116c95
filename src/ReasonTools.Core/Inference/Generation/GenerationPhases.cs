using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>
/// The phase of each generated segment, with the tokens of that part so far and the time spent in it (pure):
/// thinking from the first generated token on, answering from the first answer segment on.
/// </summary>
internal sealed class GenerationPhases(double generationStartedMs)
{
    private double? _answerStartedMs;

    public PhaseProgress Of(ReasoningPart part, SequenceGeneration sequence, double elapsedMs)
    {
        if (part == ReasoningPart.Thinking)
            return new PhaseProgress(ReasonPhase.Thinking, sequence.ThinkingTokens, null, elapsedMs - generationStartedMs);
        _answerStartedMs ??= elapsedMs;
        return new PhaseProgress(ReasonPhase.Answering, sequence.AnswerTokens, null, elapsedMs - _answerStartedMs.Value);
    }
}
