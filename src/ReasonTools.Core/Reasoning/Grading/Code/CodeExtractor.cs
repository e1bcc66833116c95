using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>The language a code prompt expects its answer in.</summary>
public enum CodeLanguage
{
    Python,
    JavaScript,
    Html,
}

/// <summary>Finds the code to run in a model's answer. Pure.</summary>
public static partial class CodeExtractor
{
    /// <summary>
    /// The last fenced block tagged with <paramref name="language"/> (any of its usual tags); else the last untagged
    /// block; else, when the answer has no fence at all, the whole answer when it looks like code of that language.
    /// Null when none of these holds.
    /// </summary>
    public static string? Extract(string? answer, CodeLanguage language)
    {
        if (string.IsNullOrWhiteSpace(answer)) return null;
        var blocks = FencedBlock().Matches(answer)
            .Select(m => (Tag: m.Groups["tag"].Value.Trim().ToLowerInvariant(), Body: m.Groups["body"].Value))
            .ToList();
        var tags = Tags(language);
        var tagged = blocks.LastOrDefault(b => tags.Contains(b.Tag));
        if (tagged.Body is not null) return Clean(tagged.Body);
        var untagged = blocks.LastOrDefault(b => b.Tag.Length == 0);
        if (untagged.Body is not null) return Clean(untagged.Body);
        if (blocks.Count > 0 || answer.Contains("```", StringComparison.Ordinal)) return null;
        return LooksLike(answer, language) ? Clean(answer) : null;
    }

    private static string Clean(string code) => code.Trim('\r', '\n').TrimEnd() + "\n";

    private static string[] Tags(CodeLanguage language) => language switch
    {
        CodeLanguage.Python => ["python", "py", "python3"],
        CodeLanguage.JavaScript => ["javascript", "js", "node", "nodejs", "mjs"],
        CodeLanguage.Html => ["html", "htm", "xhtml"],
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
    };

    // An unfenced answer is taken as code only when it reads as code from its first line: prose before code is left alone.
    private static bool LooksLike(string answer, CodeLanguage language)
    {
        var first = answer.TrimStart().Split('\n', 2)[0];
        return language switch
        {
            CodeLanguage.Python => PythonStart().IsMatch(first),
            CodeLanguage.JavaScript => JavaScriptStart().IsMatch(first),
            CodeLanguage.Html => first.StartsWith('<'),
            _ => false,
        };
    }

    [GeneratedRegex(@"^[ \t]*(?<fence>`{3,}|~{3,})[ \t]*(?<tag>[\w+#.-]*)[^\n]*\n(?<body>.*?)^[ \t]*\k<fence>[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"^(?:def |class |import |from \S+ import |#|[A-Za-z_]\w*\s*=|print\(|for |while |if )")]
    private static partial Regex PythonStart();

    [GeneratedRegex(@"^(?:function |const |let |var |class |import |//|'use strict'|""use strict""|console\.|module\.exports)")]
    private static partial Regex JavaScriptStart();
}
