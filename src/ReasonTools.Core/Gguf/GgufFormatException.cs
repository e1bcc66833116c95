namespace ReasonTools.Core.Gguf;

/// <summary>
/// The file is not a GGUF file this reader accepts: truncated, corrupt, hostile, or of an unsupported version.
/// <see cref="Offset"/> is the byte position where the problem was found and <see cref="Problem"/> says what is wrong.
/// </summary>
public sealed class GgufFormatException : ReasonFailure
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    public GgufFormatException(long offset, string problem)
        : base(FailureKind.BadInput, offset >= 0 ? $"Invalid GGUF file at byte {offset}: {problem}" : $"Invalid GGUF file: {problem}")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Byte offset in the file where the problem was found; -1 when it is not tied to one position (a missing key).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, naming the key, tensor or field involved.</summary>
    public string Problem { get; }
}
