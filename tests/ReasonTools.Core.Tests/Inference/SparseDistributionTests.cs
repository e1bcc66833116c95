using ReasonTools.Core.Inference.Speculative;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>The two quantities speculative sampling needs from a target distribution p and a draft distribution q.</summary>
public sealed class SparseDistributionTests
{
    private static readonly SparseDistribution Target = new([1, 2, 3], [0.5f, 0.3f, 0.2f]);

    [Fact]
    public void The_overlap_is_the_chance_a_draft_token_is_kept_and_is_zero_for_a_draft_the_target_never_picks()
    {
        var draft = new SparseDistribution([2, 3, 4], [0.2f, 0.6f, 0.2f]);

        // min(0.3, 0.2) + min(0.2, 0.6); token 4 the target never picks, token 1 the draft never proposes.
        Assert.Equal(0.4, Target.Overlap(draft), precision: 6);
        Assert.Equal(0.0, Target.Overlap(SparseDistribution.Certain(9)), precision: 9);
        Assert.Equal(0.5, Target.Overlap(SparseDistribution.Certain(1)), precision: 6);
    }

    [Fact]
    public void After_a_rejection_the_residual_holds_only_what_the_draft_underweighted()
    {
        var residual = Target.Residual(SparseDistribution.Certain(1));

        Assert.Equal(0f, residual[1]);
        Assert.Equal(0.6f, residual[2], precision: 5);
        Assert.Equal(0.4f, residual[3], precision: 5);
    }
}
