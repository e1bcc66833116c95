#:property PublishAot=false
#:project ../src/ReasonTools.Reports/ReasonTools.Reports.csproj

// How do the DeepSeek-R1-Distill sizes compare on the same questions? Runs one prompt set on several
// models (or reads a saved comparison), prints the result and writes it as a standalone HTML file.
//   dotnet run notebooks/compare-sizes.cs -- --prompts set.json [--model 1.5b --model 7b ...] [--out report.html]
//   dotnet run notebooks/compare-sizes.cs -- --from-json saved.json [--out report.html]
// (a saved comparison is what `reason compare ... --json` prints; notebooks/example-comparison.json is one
// with made-up figures, to see the report without any model).
using System.Diagnostics;
using System.Text.Json;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Reports;

var models = new List<string>();
string? prompts = null, fromJson = null, output = "compare-sizes.html";
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--model" when value is not null: models.Add(value); i++; break;
        case "--prompts" when value is not null: prompts = value; i++; break;
        case "--from-json" when value is not null: fromJson = value; i++; break;
        case "--out" when value is not null: output = value; i++; break;
        default:
            return Usage($"unknown or incomplete argument '{args[i]}'");
    }
}
if (fromJson is null && prompts is null) return Usage("give --prompts FILE (a prompt set) or --from-json FILE (a saved comparison)");
if (models.Count == 0) models.AddRange(["1.5b", "7b", "14b"]);

ComparisonResult comparison;
try
{
    comparison = fromJson is not null
        ? Load(File.ReadAllText(fromJson), fromJson)
        : await RunComparisonAsync(models, prompts!, CancellationToken.None);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"compare-sizes: {e.Message}");
    return 1;
}

Console.Write(TextReport.Render(comparison));
var path = Path.GetFullPath(output);
File.WriteAllText(path, HtmlReport.Document(comparison));
Console.WriteLine($"\nHTML report: {path}");
return 0;

// Runs in-process: each model is loaded once, asked every prompt, and freed before the next.
static async Task<ComparisonResult> RunComparisonAsync(IReadOnlyList<string> models, string promptSet, CancellationToken cancellationToken)
{
    var request = new ComparisonRequest { Models = models, PromptSet = PromptSet.Load(promptSet) };
    await foreach (var update in ComparisonRunner.RunAsync(request, cancellationToken))
    {
        if (update.Kind == ComparisonUpdateKind.Row) Console.Error.WriteLine($"[{update.Completed}/{update.Total}] {update.Model} {update.PromptId}");
        if (update.Kind == ComparisonUpdateKind.Completed) return update.Result!;
    }
    throw new InvalidDataException("the comparison ended without a result");
}

static ComparisonResult Load(string json, string source)
{
    try
    {
        return JsonSerializer.Deserialize<ComparisonResult>(json, ReasonJson.Options)
               ?? throw new InvalidDataException($"{source} holds no comparison");
    }
    catch (JsonException e)
    {
        throw new InvalidDataException($"{source} is not a comparison in ReasonTools' JSON shape: {e.Message}");
    }
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"compare-sizes: {problem}");
    Console.Error.WriteLine("usage: dotnet run notebooks/compare-sizes.cs -- (--prompts FILE [--model M]... | --from-json FILE) [--out report.html]");
    return 1;
}
