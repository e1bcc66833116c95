using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>Reads a prompt's <c>tests</c> and <c>checks</c> fields; every problem is returned as words for the prompt set error. Pure.</summary>
internal static class CodeTestsReader
{
    private const int MaxTests = 200;

    /// <summary>Adds the field's content to <paramref name="current"/>; the problem, or null.</summary>
    public static string? Read(string field, JsonElement value, CodeTests current, out CodeTests result)
    {
        result = current;
        return field == "tests" ? ReadTests(value, current, out result) : ReadChecks(value, current, out result);
    }

    /// <summary>Why a prompt's grader and its tests do not go together; null when they do.</summary>
    public static string? Mismatch(GraderKind grader, CodeTests? tests)
    {
        var runs = CodeGrader.Runs(grader);
        if (!runs) return tests is null ? null : $"belongs to the python, javascript and browser graders, not {grader.ToString().ToLowerInvariant()}";
        if (grader == GraderKind.Browser)
            return tests is { Checks.Count: > 0 } && tests.Cases.Count == 0 && tests.Assertions is null
                ? null
                : "the browser grader needs \"checks\": [ { \"keys\": [\"ArrowRight\"], \"waitMs\": 500, \"canvasChanges\": true } ] (and no \"tests\")";
        return tests is not null && (tests.Cases.Count > 0 || tests.Assertions is not null) && tests.Checks.Count == 0
            ? null
            : "is missing: the python and javascript graders need \"tests\": [ { \"stdin\": ..., \"stdout\": ... } ] or an assertion script";
    }

    private static string? ReadTests(JsonElement value, CodeTests current, out CodeTests result)
    {
        result = current;
        if (value.ValueKind == JsonValueKind.String)
        {
            var script = value.GetString()!;
            if (string.IsNullOrWhiteSpace(script)) return "is an empty assertion script";
            result = current with { Assertions = script };
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array) return "must be an array of { \"stdin\", \"stdout\" } or an assertion script (a string)";
        var cases = new List<StdioCase>();
        foreach (var item in value.EnumerateArray())
        {
            var at = $"[{cases.Count}]";
            if (item.ValueKind != JsonValueKind.Object) return $"{at} must be an object {{ \"stdin\", \"stdout\" }}";
            string? stdin = null, stdout = null;
            foreach (var property in item.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String) return $"{at}.{property.Name} must be a string";
                switch (property.Name)
                {
                    case "stdin": stdin = property.Value.GetString(); break;
                    case "stdout": stdout = property.Value.GetString(); break;
                    default: return $"{at} has an unknown field \"{property.Name}\" (a test has stdin, stdout)";
                }
            }
            if (stdout is null) return $"{at}.stdout is missing";
            cases.Add(new StdioCase(stdin ?? "", stdout));
            if (cases.Count > MaxTests) return $"has more than {MaxTests} tests";
        }
        if (cases.Count == 0) return "is empty";
        result = current with { Cases = cases };
        return null;
    }

    private static string? ReadChecks(JsonElement value, CodeTests current, out CodeTests result)
    {
        result = current;
        if (value.ValueKind != JsonValueKind.Array) return "must be an array of checks";
        var checks = new List<BrowserCheck>();
        foreach (var item in value.EnumerateArray())
        {
            var at = $"[{checks.Count}]";
            if (item.ValueKind != JsonValueKind.Object) return $"{at} must be an object";
            var check = new BrowserCheck();
            foreach (var property in item.EnumerateObject())
            {
                var v = property.Value;
                switch (property.Name)
                {
                    case "keys" when v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(k => k.ValueKind == JsonValueKind.String):
                        check = check with { Keys = v.EnumerateArray().Select(k => k.GetString()!).ToList() };
                        break;
                    case "waitMs" when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var ms) && ms is >= 0 and <= 30000:
                        check = check with { WaitMs = ms };
                        break;
                    case "canvasChanges" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        check = check with { CanvasChanges = v.GetBoolean() };
                        break;
                    case "selector" when v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()):
                        check = check with { Selector = v.GetString() };
                        break;
                    case "text" when v.ValueKind == JsonValueKind.String:
                        if (!IsPattern(v.GetString()!)) return $"{at}.text is not a valid regular expression";
                        check = check with { TextPattern = v.GetString() };
                        break;
                    case "keys" or "waitMs" or "canvasChanges" or "selector" or "text":
                        return $"{at}.{property.Name} has the wrong type (keys: [strings], waitMs: 0-30000, canvasChanges: true/false, selector and text: strings)";
                    default:
                        return $"{at} has an unknown field \"{property.Name}\" (a check has keys, waitMs, canvasChanges, selector, text)";
                }
            }
            if (!check.CanvasChanges && check.Selector is null) return $"{at} checks nothing: give \"canvasChanges\": true or a \"selector\"";
            checks.Add(check);
        }
        if (checks.Count == 0) return "is empty";
        result = current with { Checks = checks };
        return null;
    }

    private static bool IsPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
