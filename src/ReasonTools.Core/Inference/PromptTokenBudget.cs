using System.Text;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference;

/// <summary>
/// Refuses a prompt too long for the context without tokenizing it whole: llama.cpp's tokenizer costs 70–180 bytes of
/// memory per input byte, so a 16 MiB text would take gigabytes only to be refused. Large prompts are counted in
/// bounded pieces (cut at line ends), stopping as soon as the count proves the context cannot hold them.
/// </summary>
internal static class PromptTokenBudget
{
    private const int PieceChars = 64 * 1024;
    // Cutting a text can split a word or a special token: allow this many extra tokens per cut before refusing.
    private const int SlackPerPiece = 16;

    /// <summary>Throws <see cref="PromptTooLongException"/> when <paramref name="prompt"/> provably needs more than <paramref name="contextSize"/> tokens.</summary>
    public static void EnsureCanFit(IntPtr vocab, string prompt, int contextSize)
    {
        if (prompt.Length <= 4 * PieceChars) return; // small: the caller's one tokenization is cheap
        long counted = 0;
        var pieces = 0;
        for (var start = 0; start < prompt.Length;)
        {
            var end = Math.Min(prompt.Length, start + PieceChars);
            if (end < prompt.Length)
            {
                var newline = prompt.LastIndexOf('\n', end - 1, end - start);
                if (newline > start) end = newline + 1;
                else if (char.IsHighSurrogate(prompt[end - 1])) end--;
            }
            counted += Llama.Tokenize(vocab, prompt[start..end], addSpecial: start == 0, parseSpecial: true).Length;
            pieces++;
            if (counted - (long)pieces * SlackPerPiece >= contextSize)
                throw new PromptTooLongException((int)Math.Min(int.MaxValue, counted - (long)pieces * SlackPerPiece), contextSize, countedPart: end < prompt.Length);
            start = end;
        }
    }
}
