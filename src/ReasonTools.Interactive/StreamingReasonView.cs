using System.Text;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>Accumulates a generation's stream and redraws the live output: status, the chain as it grows, the answer so far.</summary>
internal sealed class StreamingReasonView(string model, LiveOutput output)
{
    private readonly StringBuilder _thinking = new();
    private readonly StringBuilder _answer = new();
    private string _status = "Reading the prompt…";

    public void On(ReasonUpdate update)
    {
        switch (update.Kind)
        {
            case ReasonUpdateKind.PromptProgress:
                _status = $"Reading the prompt… {update.Progress:P0}";
                break;
            case ReasonUpdateKind.Stage:
                _status = update.Text;
                break;
            case ReasonUpdateKind.Token:
                (update.IsThinking ? _thinking : _answer).Append(update.Text);
                _status = _answer.Length > 0 ? "Answering…" : "Thinking…";
                break;
            default:
                return;
        }
        output.Show(LiveHtml.Reasoning(model, _status, _thinking.ToString(), _answer.ToString()));
    }
}
