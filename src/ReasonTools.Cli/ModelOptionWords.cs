namespace ReasonTools.Cli;

/// <summary>What every <c>--model</c> option accepts, worded once so that each command's help says the same.</summary>
internal static class ModelOptionWords
{
    /// <summary>The forms that name a catalog model.</summary>
    public const string Catalog =
        "a size (1.5b, 7b, 8b, 14b, 32b, 70b), a size or full name with a quantization (32b-q8_0, DeepSeek-R1-Distill-Qwen-7B-Q8_0), " +
        "a full name (DeepSeek-R1-Distill-Qwen-7B) or an Ollama tag (deepseek-r1:7b)";

    /// <summary>The forms that name a model file on this machine.</summary>
    public const string Local = "a GGUF path, " + Catalog + ", or the file name of a model found on this machine";

    /// <summary><see cref="Local"/> plus the remote endpoints run and compare can ask.</summary>
    public const string LocalOrRemote = Local + "; or a remote endpoint (openai:URL#model, ollama:URL#model, a named endpoint of the settings file)";
}
