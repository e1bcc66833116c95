using System.Text;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>
/// Turns the raw bytes of successive token pieces into text. A token can end in the middle of a UTF-8
/// character (byte-fallback tokens); those bytes are held until the character is complete, so no piece
/// ever yields a replacement character for a split sequence.
/// </summary>
public sealed class Utf8PieceAssembler
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>The text completed by <paramref name="piece"/> (empty while a character is still incomplete).</summary>
    public string Push(ReadOnlySpan<byte> piece)
    {
        if (piece.IsEmpty) return "";
        var needed = _decoder.GetCharCount(piece, flush: false);
        if (needed > _chars.Length) _chars = new char[Math.Max(needed, _chars.Length * 2)];
        return new string(_chars, 0, _decoder.GetChars(piece, _chars, flush: false));
    }
}
