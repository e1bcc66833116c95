namespace ReasonTools.Core.Gguf;

/// <summary>
/// The file is a well-formed GGUF file, but a model hyperparameter has a value llama.cpp cannot run (it would assert,
/// divide by zero, or refuse it): bad input, found before llama.cpp sees the file. <see cref="Key"/> and
/// <see cref="Value"/> name what is wrong.
/// </summary>
public sealed class InvalidModelException : ReasonFailure
{
    /// <summary>Creates the exception for <paramref name="key"/> holding <paramref name="value"/> (as the file stores it).</summary>
    public InvalidModelException(string key, string value, string problem)
        : base(FailureKind.BadInput, $"Not a valid model: {key} = {value}: {problem}")
    {
        Key = key;
        Value = value;
        Problem = problem;
    }

    /// <summary>The metadata key at fault (e.g. <c>qwen2.rope.dimension_count</c>).</summary>
    public string Key { get; }

    /// <summary>The value the file holds for <see cref="Key"/>, rendered for a message ("missing" when absent).</summary>
    public string Value { get; }

    /// <summary>What a valid value is, or why this one cannot run.</summary>
    public string Problem { get; }
}
