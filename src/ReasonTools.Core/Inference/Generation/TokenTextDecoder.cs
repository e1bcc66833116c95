using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>The visible text of each generated token of one sequence, special tokens rendered.</summary>
internal sealed class TokenTextDecoder(IntPtr vocab)
{
    private readonly Utf8PieceAssembler _assembler = new();
    // Grown by Llama.TokenBytes for a longer piece, and kept at that size.
    private byte[] _piece = new byte[256];

    public string Decode(int token)
    {
        var n = Llama.TokenBytes(vocab, token, ref _piece, special: true);
        return n == 0 ? "" : _assembler.Push(_piece.AsSpan(0, n));
    }
}
