using System.Text;
using ReasonTools.Core.Inference;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// Collects what arrives through the pipeline into prompt documents: piped strings (the lines of Get-Content)
/// become one document, each file read by path becomes its own.
/// </summary>
internal sealed class PipelineDocuments
{
    /// <summary>Name of the document built from piped text.</summary>
    public const string PipedTextName = "input";

    private readonly StringBuilder pipedText = new();
    private readonly List<PromptDocument> files = [];
    private bool hasPipedText;

    /// <summary>Adds one piped string (one line of Get-Content, or a whole multi-line string).</summary>
    public void AddLine(string? line)
    {
        if (line is null) return;
        if (hasPipedText) pipedText.Append('\n');
        pipedText.Append(line);
        hasPipedText = true;
    }

    /// <summary>Adds a file's text as its own document, named by the file name.</summary>
    public void AddFile(string path, string text) => files.Add(new PromptDocument(Path.GetFileName(path), text));

    /// <summary>Number of files added so far.</summary>
    public int FileCount => files.Count;

    /// <summary>Files in the order they arrived, then the piped text as one document.</summary>
    public IReadOnlyList<PromptDocument> ToDocuments()
    {
        var documents = new List<PromptDocument>(files);
        if (hasPipedText) documents.Add(new PromptDocument(PipedTextName, pipedText.ToString()));
        return documents;
    }
}
