namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Grades a code answer by running it: the code is extracted from the answer, run in the sandbox once per stdin case
/// (or once with the assertion script appended, or once in the browser), and the outcome counted.
/// </summary>
public static class CodeGrader
{
    /// <summary>Whether <paramref name="kind"/> is graded by running code.</summary>
    public static bool Runs(GraderKind kind) => kind is GraderKind.Python or GraderKind.JavaScript or GraderKind.Browser;

    /// <summary>Grades <paramref name="answer"/> (the text after the reasoning chain); never throws for what the code does.</summary>
    public static async Task<CodeGradeResult> GradeAsync(string? answer, GraderKind kind, CodeTests tests, CodeExecutionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tests);
        ArgumentNullException.ThrowIfNull(options);
        var language = kind switch
        {
            GraderKind.Python => CodeLanguage.Python,
            GraderKind.JavaScript => CodeLanguage.JavaScript,
            GraderKind.Browser => CodeLanguage.Html,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a code grader"),
        };
        var code = CodeExtractor.Extract(answer, language, tests.JoinBlocks);
        if (code is null)
            return new CodeGradeResult(false, 0, tests.Count, $"no {language} code found in the answer (expected a fenced ```{language.ToString().ToLowerInvariant()} block)", null);
        var interpreter = Interpreter.For(kind);
        if (interpreter is null)
            return new CodeGradeResult(null, 0, tests.Count, $"code not run: {Interpreter.Describe(kind)} is not installed", code);
        var sandbox = CodeSandboxes.Resolve(options, out var refusal);
        if (sandbox is null) return new CodeGradeResult(null, 0, tests.Count, refusal!.Message, code) { Refusal = refusal };

        return kind == GraderKind.Browser
            ? await BrowserGrader.GradeAsync(code, tests, interpreter, sandbox, options.BrowserLimits, cancellationToken).ConfigureAwait(false)
            : await RunProgramAsync(code, language, tests, interpreter, sandbox, options.Limits, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CodeGradeResult> RunProgramAsync(string code, CodeLanguage language, CodeTests tests, Interpreter interpreter,
        ICodeSandbox sandbox, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var file = language == CodeLanguage.Python ? "main.py" : "main.js";
        SandboxCommand Command(string source, string? stdin) => new()
        {
            Program = interpreter.Path,
            Arguments = [SandboxCommand.TaskFolder + "/" + file],
            Files = new Dictionary<string, string> { [file] = source },
            Stdin = stdin,
            ReadOnlyFolders = interpreter.Folders,
            Limits = limits,
        };

        var total = tests.Count;
        var passed = 0;
        string? firstFailure = null;
        for (var i = 0; i < tests.Cases.Count; i++)
        {
            var run = await sandbox.RunAsync(Command(code, tests.Cases[i].Stdin), cancellationToken).ConfigureAwait(false);
            var failure = ProgramVerdict.CaseFailure(run, tests.Cases[i].Stdout);
            if (failure is null) { passed++; continue; }
            firstFailure ??= $"test {i + 1} of {total}: {failure}";
            // A program stopped by a limit would hit it again on every case: the rest are counted as failed, not run.
            if (run.LimitHit is not null) break;
        }
        if (tests.Assertions is not null)
        {
            var run = await sandbox.RunAsync(Command(code + "\n\n" + tests.Assertions.TrimEnd() + "\n", null), cancellationToken).ConfigureAwait(false);
            var failure = ProgramVerdict.AssertionFailure(run);
            if (failure is null) passed++;
            else firstFailure ??= total == 1 ? failure : $"assertions: {failure}";
        }
        return ProgramVerdict.Compose(passed, total, firstFailure, code);
    }
}
