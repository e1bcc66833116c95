using System.Text;
using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Comparison;

/// <summary>
/// Questions to put to every model of a comparison, read from JSON:
/// <c>{ "name": "...", "prompts": [ { "id", "prompt", "expected", "grader" } ] }</c>.
/// </summary>
/// <remarks>
/// <c>expected</c> and <c>grader</c> may be left out (the prompt is then not graded; the grader defaults to
/// <c>text</c>); <c>expected</c> may be a JSON number. <c>name</c> defaults to the file name. Comments and
/// trailing commas are allowed. Every problem is a <see cref="PromptSetException"/> naming the line and the field;
/// expected answers are checked against their grader when the set is read, not when a model has answered.
/// </remarks>
/// <param name="Name">The set's name (the file's <c>name</c>, else the file name without extension).</param>
/// <param name="Prompts">The questions in file order; at least one, ids unique.</param>
public sealed record PromptSet(string Name, IReadOnlyList<PromptSetItem> Prompts)
{
    private static readonly string[] TopFields = ["name", "description", "prompts"];
    private static readonly string[] ItemFields = ["id", "prompt", "expected", "grader", "tests", "checks", "join"];

    /// <summary>Reads a prompt set file.</summary>
    /// <exception cref="PromptSetException">The file is missing, unreadable or not a valid prompt set.</exception>
    public static PromptSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sourceName = Path.GetFileName(path);
        string json;
        try
        {
            json = InputFiles.ReadAllText(path, ReasonService.MaxDocumentBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException
                ? $"prompt set file not found: {path}"
                : $"cannot read the prompt set file {path}: {e.Message}";
            throw new PromptSetException(sourceName.Length > 0 ? sourceName : path, null, null, problem, e);
        }
        return Parse(json, sourceName);
    }

    /// <summary>Reads a prompt set from JSON text; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="PromptSetException">The text is not a valid prompt set.</exception>
    public static PromptSet Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        json = json.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(json))
            throw new PromptSetException(sourceName, null, null, "is empty; expected { \"name\": ..., \"prompts\": [ ... ] }");
        if (json.Length > ReasonService.MaxDocumentBytes / 4 && Encoding.UTF8.GetByteCount(json) > ReasonService.MaxDocumentBytes)
            throw new PromptSetException(sourceName, null, null, $"is over {ReasonService.MaxDocumentBytes:N0} bytes, the most a prompt may hold; split it into smaller sets");
        var bytes = Encoding.UTF8.GetBytes(json);
        try
        {
            return new Reader(bytes, sourceName).ReadSet();
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? (int)zeroBased + 1 : (int?)null;
            throw new PromptSetException(sourceName, line, null, $"is not valid JSON: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    /// <summary>A forward-only reader that knows the line of every token.</summary>
    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly string _source;
        private Utf8JsonReader _json;
        private int _lineCountedTo;
        private int _line;

        public Reader(byte[] bytes, string source)
        {
            _bytes = bytes;
            _source = source;
            _json = new Utf8JsonReader(bytes, new JsonReaderOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                MaxDepth = 16,
            });
            _line = 1;
        }

        /// <summary>1-based line of the current token (tokens only move forward, so counting is linear overall).</summary>
        private int Line
        {
            get
            {
                var upTo = (int)_json.TokenStartIndex;
                for (; _lineCountedTo < upTo; _lineCountedTo++)
                    if (_bytes[_lineCountedTo] == (byte)'\n') _line++;
                return _line;
            }
        }

        private PromptSetException Error(string? field, string problem) => new(_source, Line, field, problem);

        private void Read()
        {
            if (!_json.Read()) throw new PromptSetException(_source, Line, null, "ends too early: the JSON is incomplete");
        }

        public PromptSet ReadSet()
        {
            if (!_json.Read()) throw new PromptSetException(_source, null, null, "is empty; expected { \"name\": ..., \"prompts\": [ ... ] }");
            if (_json.TokenType != JsonTokenType.StartObject)
                throw Error(null, "must be a JSON object { \"name\": ..., \"prompts\": [ ... ] }");
            var setLine = Line;
            string? name = null;
            List<PromptSetItem>? prompts = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                Read();
                if (_json.TokenType == JsonTokenType.EndObject) break;
                var field = GetText("a field name");
                if (!seen.Add(field)) throw Error(field, "appears twice");
                Read();
                switch (field)
                {
                    case "name":
                        name = ReadString(field);
                        if (string.IsNullOrWhiteSpace(name)) throw Error(field, "is empty");
                        break;
                    case "description":
                        ReadString(field);
                        break;
                    case "prompts":
                        prompts = ReadPrompts();
                        break;
                    default:
                        throw Error(null, $"unknown field \"{field}\" (a prompt set has {string.Join(", ", TopFields)})");
                }
            }
            if (_json.Read()) throw Error(null, "has more text after the closing brace of the prompt set");
            if (prompts is null) throw new PromptSetException(_source, setLine, "prompts", "is missing: add \"prompts\": [ { \"id\": ..., \"prompt\": ... } ]");
            name ??= Path.GetFileNameWithoutExtension(_source);
            return new PromptSet(name, prompts);
        }

        private List<PromptSetItem> ReadPrompts()
        {
            if (_json.TokenType != JsonTokenType.StartArray) throw Error("prompts", $"must be an array, not {Describe(_json.TokenType)}");
            var arrayLine = Line;
            var items = new List<PromptSetItem>();
            var idLines = new Dictionary<string, (int Index, int Line)>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                Read();
                if (_json.TokenType == JsonTokenType.EndArray) break;
                items.Add(ReadItem(items.Count, idLines));
            }
            if (items.Count == 0) throw new PromptSetException(_source, arrayLine, "prompts", "is empty: a prompt set needs at least one prompt");
            return items;
        }

        private PromptSetItem ReadItem(int index, Dictionary<string, (int Index, int Line)> idLines)
        {
            var path = $"prompts[{index}]";
            if (_json.TokenType != JsonTokenType.StartObject) throw Error(path, $"must be an object {{ \"id\", \"prompt\", ... }}, not {Describe(_json.TokenType)}");
            var itemLine = Line;
            string? id = null, prompt = null, expected = null, graderName = null;
            int expectedLine = itemLine, graderLine = itemLine, testsLine = itemLine, joinLine = itemLine;
            CodeTests? tests = null;
            var join = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                Read();
                if (_json.TokenType == JsonTokenType.EndObject) break;
                var field = GetText("a field name");
                var fieldPath = $"{path}.{field}";
                if (!seen.Add(field)) throw Error(fieldPath, "appears twice");
                Read();
                switch (field)
                {
                    case "id":
                        var idLine = Line;
                        id = ReadString(fieldPath);
                        if (string.IsNullOrWhiteSpace(id)) throw Error(fieldPath, "is empty");
                        if (idLines.TryGetValue(id, out var first))
                            throw Error(fieldPath, $"\"{id}\" repeats the id of prompts[{first.Index}] (line {first.Line}); ids must be unique");
                        idLines[id] = (index, idLine);
                        break;
                    case "prompt":
                        prompt = ReadString(fieldPath);
                        if (string.IsNullOrWhiteSpace(prompt)) throw Error(fieldPath, "is empty");
                        break;
                    case "expected":
                        expectedLine = Line;
                        if (_json.TokenType == JsonTokenType.Null) break;
                        expected = _json.TokenType == JsonTokenType.Number
                            ? Encoding.UTF8.GetString(_json.ValueSpan)
                            : ReadString(fieldPath, "a string or a number");
                        if (string.IsNullOrWhiteSpace(expected))
                            throw Error(fieldPath, "is empty; leave it out for a prompt that is not graded");
                        break;
                    case "grader":
                        graderLine = Line;
                        graderName = ReadString(fieldPath);
                        break;
                    case "tests" or "checks":
                        testsLine = Line;
                        using (var value = JsonDocument.ParseValue(ref _json))
                        {
                            var testsProblem = CodeTestsReader.Read(field, value.RootElement, tests ?? new CodeTests(), out var read);
                            if (testsProblem is not null) throw new PromptSetException(_source, testsLine, fieldPath, testsProblem);
                            tests = read;
                        }
                        break;
                    case "join":
                        joinLine = Line;
                        if (_json.TokenType is not (JsonTokenType.True or JsonTokenType.False)) throw Error(fieldPath, $"must be true or false, not {Describe(_json.TokenType)}");
                        join = _json.GetBoolean();
                        break;
                    default:
                        throw Error(path, $"has an unknown field \"{field}\" (a prompt has {string.Join(", ", ItemFields)})");
                }
            }
            if (id is null) throw new PromptSetException(_source, itemLine, $"{path}.id", "is missing");
            if (prompt is null) throw new PromptSetException(_source, itemLine, $"{path}.prompt", "is missing");

            var grader = GraderKind.Text;
            if (graderName is not null && !TryParseGrader(graderName, out grader))
                throw new PromptSetException(_source, graderLine, $"{path}.grader",
                    $"\"{graderName}\" is not one of text, number, choice, regex, python, javascript, browser");
            if (CodeTestsReader.Mismatch(grader, tests) is { } mismatch)
                throw new PromptSetException(_source, tests is null ? graderLine : testsLine, $"{path}.{(grader == GraderKind.Browser ? "checks" : "tests")}", mismatch);
            if (join)
            {
                if (grader is not (GraderKind.Python or GraderKind.JavaScript))
                    throw new PromptSetException(_source, joinLine, $"{path}.join", $"belongs to the python and javascript graders, not {grader.ToString().ToLowerInvariant()}");
                tests = tests! with { JoinBlocks = true };
            }
            if (expected is not null && AnswerGrader.ValidateExpected(expected, grader) is { } problem)
                throw new PromptSetException(_source, expectedLine, $"{path}.expected", $"\"{expected}\": {problem}");
            return new PromptSetItem(id, prompt, expected, grader) { Tests = tests };
        }

        private string ReadString(string field, string what = "a string")
        {
            if (_json.TokenType != JsonTokenType.String) throw Error(field, $"must be {what}, not {Describe(_json.TokenType)}");
            return GetText(field);
        }

        /// <summary>The current string or property name; JSON may escape a lone surrogate that no .NET string can hold.</summary>
        private string GetText(string? field)
        {
            try
            {
                return _json.GetString()!;
            }
            catch (InvalidOperationException e)
            {
                throw Error(field, $"holds text that is not valid Unicode ({e.Message})");
            }
        }

        private static string Describe(JsonTokenType type) => type switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "true/false",
            JsonTokenType.Null => "null",
            _ => type.ToString(),
        };
    }

    /// <summary>Reads a grader name as the file spells it (text, number, choice, regex, python, javascript, browser; any case).</summary>
    public static bool TryParseGrader(string name, out GraderKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case "text": kind = GraderKind.Text; return true;
            case "number": kind = GraderKind.Number; return true;
            case "choice": kind = GraderKind.Choice; return true;
            case "regex": kind = GraderKind.Regex; return true;
            case "python": kind = GraderKind.Python; return true;
            case "javascript" or "js": kind = GraderKind.JavaScript; return true;
            case "browser": kind = GraderKind.Browser; return true;
            default: kind = GraderKind.Text; return false;
        }
    }
}
