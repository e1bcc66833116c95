namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>One stdin → stdout case of a program-reading prompt; outputs are compared after trimming line ends.</summary>
public sealed record StdioCase(string Stdin, string Stdout);

/// <summary>
/// One check of a browser prompt, done in order after the page loaded: press <see cref="Keys"/> (if any), wait
/// <see cref="WaitMs"/>, then, when <see cref="CanvasChanges"/>, the page's first canvas must differ from before the
/// keys; when <see cref="Selector"/> is set, that element's text must match <see cref="TextPattern"/>.
/// </summary>
public sealed record BrowserCheck
{
    public IReadOnlyList<string> Keys { get; init; } = [];
    public int WaitMs { get; init; } = 500;
    public bool CanvasChanges { get; init; }
    public string? Selector { get; init; }
    public string? TextPattern { get; init; }
}

/// <summary>
/// What a code prompt runs the answer against: stdin → stdout <see cref="Cases"/>, or an <see cref="Assertions"/>
/// script appended to the answer's code (a failed assertion or any error fails it), or browser <see cref="Checks"/>.
/// </summary>
public sealed record CodeTests
{
    public IReadOnlyList<StdioCase> Cases { get; init; } = [];
    public string? Assertions { get; init; }
    public IReadOnlyList<BrowserCheck> Checks { get; init; } = [];
    /// <summary>The prompt asks for a whole program: helper blocks of the answer are joined to its last block (<see cref="CodeExtractor.Extract"/>).</summary>
    public bool JoinBlocks { get; init; }

    /// <summary>How many tests a row counts: each case, the assertion script as one, or each browser check (plus loading without errors).</summary>
    public int Count => Cases.Count + (Assertions is null ? 0 : 1) + (Checks.Count == 0 ? 0 : Checks.Count + 1);
}

/// <summary>Outcome of running an answer's code against its tests.</summary>
/// <param name="Correct">All tests passed; null when the code could not be run at all (no sandbox, no interpreter).</param>
/// <param name="TestsPassed">Tests that passed.</param>
/// <param name="TestsTotal">Tests the prompt has (a program stopped by a limit counts the cases it did not reach as failed).</param>
/// <param name="Reason">The first failure's message, trimmed, or why nothing ran, or "all N tests passed".</param>
/// <param name="Code">The code that ran (or would have); null when the answer held none.</param>
public sealed record CodeGradeResult(bool? Correct, int TestsPassed, int TestsTotal, string Reason, string? Code)
{
    /// <summary>Why the code was not run when no sandbox is available; a front words <see cref="Reason"/> from it, naming its own switch.</summary>
    public ReasonFailure? Refusal { get; init; }
}
