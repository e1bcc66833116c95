#:property PublishAot=false
#:project ../tests/ReasonTools.Testing/ReasonTools.Testing.csproj

// The notebooks' CI helper (build/notebooks.sh runs it):
//   dotnet run build/notebook-ci.cs -- models DIR    synthetic models and a one-prompt set in DIR; prints REASONTOOLS_MODEL's value
//   dotnet run build/notebook-ci.cs -- check DIR     asserts on the outputs of the notebooks executed into DIR
// The last line of "check" is "NOTEBOOKS <passed> passed, <failed> failed".
using System.Text.Json;
using System.Text.Json.Nodes;
using ReasonTools.Testing;

return args switch
{
    ["models", var dir] => WriteModels(dir),
    ["check", var dir] => Check(dir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: notebook-ci.cs models DIR | check DIR");
    return 1;
}

static int WriteModels(string dir)
{
    Directory.CreateDirectory(dir);
    var paths = new List<string>();
    foreach (var kind in new[] { ScriptKind.ChickensRight, ScriptKind.ChickensWrong })
    {
        var path = Path.GetFullPath(Path.Combine(dir, $"synthetic-{kind}.gguf"));
        SyntheticModels.Write(kind, path);
        paths.Add(path);
    }
    var prompts = new JsonObject
    {
        ["name"] = "chickens (synthetic CI set)",
        ["prompts"] = new JsonArray(new JsonObject
        {
            ["id"] = "chickens-rabbits", ["prompt"] = SyntheticModels.Get(ScriptKind.ChickensRight).Question,
            ["expected"] = "12 chickens, 13 rabbits", ["grader"] = "text",
        }),
    };
    File.WriteAllText(Path.Combine(dir, "prompts.json"), prompts.ToJsonString());
    Console.WriteLine(string.Join(Path.PathSeparator, paths));
    return 0;
}

static int Check(string dir)
{
    var checks = new NotebookChecks();
    checks.Notebook(dir, "hardware-check.ipynb", nb =>
    {
        nb.Html("#!reason-hardware", "hardware report", h => h.Contains("rt-report rt-hardware"));
        nb.Text("#!reason-hardware --model 32b", "verdict for 32B", t => t.Contains("32B", StringComparison.OrdinalIgnoreCase));
        nb.Html("#!reason --model @csharp:model --max-tokens 512\nA farm", "answer with the chain folded",
            h => h.Contains("rt-report rt-reason") && h.Contains("<details class=\"rt-thinking\">") && !h.Contains("data-live")
                 && h.Contains("<mark class=\"rt-final-answer\"") && h.Contains(">12 chickens, 13 rabbits</mark>") && h.Contains("data-field=\"loadMs\""));
        nb.Text("reasonResult.Timings.LoadMs", "second question paid no load (LoadMs 0)", t => t.Trim() == "0");
    });
    checks.Notebook(dir, "compare-sizes.ipynb", nb =>
    {
        nb.Html("#!reason-compare", "graded comparison rows, summary and chart",
            h => h.Contains("rt-report rt-comparison") && h.Contains("data-correct=\"true\"") && h.Contains("data-correct=\"false\"")
                 && h.Contains("<h3>Per model</h3>") && h.Contains("<svg") && !h.Contains("data-live"));
        nb.Text("var best", "best model line", t => t.Contains("% right at"));
    });
    checks.Notebook(dir, "log-analysis.ipynb", nb =>
    {
        nb.Text("await ReasonService.PreviewPromptAsync", "reduced log in the prompt", t => t.Contains("orders-db-2"));
        nb.Html("await ReasonService.RunAsync", "analysis result", h => h.Contains("rt-report rt-reason") && h.Contains("rt-final-answer"));
    });
    Console.WriteLine($"NOTEBOOKS {checks.Passed} passed, {checks.Failed} failed");
    return checks.Failed == 0 ? 0 : 1;
}

/// <summary>Counts passed and failed assertions over executed notebooks, printing one line per failure.</summary>
sealed class NotebookChecks
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    public void Notebook(string dir, string name, Action<ExecutedNotebook> assertions)
    {
        var path = Path.Combine(dir, name);
        if (!File.Exists(path))
        {
            Fail($"{name}: not executed (no {path})");
            return;
        }
        var notebook = new ExecutedNotebook(name, JsonNode.Parse(File.ReadAllText(path))!, this);
        notebook.NoErrors();
        assertions(notebook);
    }

    public void Record(bool ok, string what)
    {
        if (ok)
        {
            Passed++;
            Console.WriteLine($"  ok   {what}");
        }
        else Fail(what);
    }

    private void Fail(string what)
    {
        Failed++;
        Console.WriteLine($"  FAIL {what}");
    }
}

/// <summary>One executed .ipynb: cells found by the start of their source, outputs by MIME type.</summary>
sealed class ExecutedNotebook(string name, JsonNode notebook, NotebookChecks checks)
{
    private IEnumerable<(string Source, JsonArray Outputs)> Cells =>
        notebook["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code")
            .Select(c => (Source(c!["source"]), c!["outputs"]?.AsArray() ?? []));

    public void NoErrors()
    {
        var errors = Cells.SelectMany(c => c.Outputs.Where(o => (string?)o!["output_type"] == "error").Select(o => $"[{First(c.Source)}] {o!["ename"]}: {o!["evalue"]}")).ToList();
        checks.Record(errors.Count == 0, $"{name}: every cell ran without an error" + (errors.Count == 0 ? "" : ": " + string.Join("; ", errors)));
    }

    public void Html(string cellStart, string what, Func<string, bool> holds) => Output(cellStart, "text/html", what, holds);

    public void Text(string cellStart, string what, Func<string, bool> holds) => Output(cellStart, "text/plain", what, holds);

    private void Output(string cellStart, string mimeType, string what, Func<string, bool> holds)
    {
        var cell = Cells.Where(c => c.Source.Contains(cellStart, StringComparison.Ordinal)).Select(c => (JsonArray?)c.Outputs).FirstOrDefault();
        var values = cell?.Select(o => o!["data"]?[mimeType]).Where(v => v is not null).Select(v => Source(v)).ToList() ?? [];
        var ok = values.Any(holds);
        checks.Record(ok, $"{name}: {what}" + (ok ? "" : cell is null ? $" (no cell starting '{First(cellStart)}')" : $" ({values.Count} {mimeType} outputs in '{First(cellStart)}', none as expected: {Shorten(string.Join(" | ", values))})"));
    }

    // Jupyter stores multi-line text as a list of lines or as one string.
    private static string Source(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static string First(string text) => text.Split('\n')[0];

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
