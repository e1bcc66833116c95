using System.Text;
using ReasonTools.Core.Inference;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// Collects what arrives through the pipeline: piped strings (the lines of Get-Content) become one document;
/// files are kept as paths, for the core to read (a log is streamed through the reducer whatever its size).
/// </summary>
internal sealed class PipelineDocuments
{
    /// <summary>Name of the document built from piped text.</summary>
    public const string PipedTextName = "input";

    private readonly StringBuilder _pipedText = new();
    private readonly List<string> _files = [];
    private bool _hasPipedText;

    /// <summary>Adds one piped string (one line of Get-Content, or a whole multi-line string).</summary>
    public void AddLine(string? line)
    {
        if (line is null) return;
        if (_hasPipedText) _pipedText.Append('\n');
        _pipedText.Append(line);
        _hasPipedText = true;
    }

    /// <summary>Adds a file; each becomes its own document, named by its file name. A path given twice counts once.</summary>
    public void AddFile(string path)
    {
        if (!_files.Contains(path, StringComparer.Ordinal)) _files.Add(path);
    }

    /// <summary>The files, in the order they arrived.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>The piped text as one document, or none when nothing was piped.</summary>
    public IReadOnlyList<PromptDocument> ToDocuments() =>
        _hasPipedText ? [new PromptDocument(PipedTextName, _pipedText.ToString())] : [];
}
