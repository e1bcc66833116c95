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
    /// Null when none of these holds. With <paramref name="join"/> (a prompt that asks for a whole program, whose answer
    /// may put helpers in one block and the main part in another), the earlier blocks of the same kind that define a
    /// name the later code uses and does not define itself go before the last one, in the answer's order; earlier
    /// blocks that only repeat its definitions (a first try) or define nothing it uses (a usage example) stay out.
    /// </summary>
    public static string? Extract(string? answer, CodeLanguage language, bool join = false)
    {
        if (string.IsNullOrWhiteSpace(answer)) return null;
        var blocks = FencedBlock().Matches(answer)
            .Select(m => (Tag: m.Groups["tag"].Value.Trim().ToLowerInvariant(), Body: m.Groups["body"].Value))
            .ToList();
        var tags = Tags(language);
        var chosen = blocks.Where(b => tags.Contains(b.Tag)).Select(b => b.Body).ToList();
        if (chosen.Count == 0) chosen = blocks.Where(b => b.Tag.Length == 0).Select(b => b.Body).ToList();
        if (chosen.Count > 0) return join && language != CodeLanguage.Html ? Join(chosen, language) : Clean(chosen[^1]);
        if (blocks.Count > 0 || answer.Contains("```", StringComparison.Ordinal)) return null;
        return LooksLike(answer, language) ? Clean(answer) : null;
    }

    // Walks back from the last block: a block joins when it defines a name the kept code uses but does not define.
    private static string Join(List<string> blocks, CodeLanguage language)
    {
        var kept = new List<int> { blocks.Count - 1 };
        var defined = new HashSet<string>(Definitions(blocks[^1], language), StringComparer.Ordinal);
        var used = new HashSet<string>(Identifier().Matches(blocks[^1]).Select(m => m.Value), StringComparer.Ordinal);
        for (var i = blocks.Count - 2; i >= 0; i--)
        {
            var names = Definitions(blocks[i], language).ToList();
            if (!names.Any(n => used.Contains(n) && !defined.Contains(n))) continue;
            kept.Add(i);
            defined.UnionWith(names);
            used.UnionWith(Identifier().Matches(blocks[i]).Select(m => m.Value));
        }
        kept.Reverse();
        return string.Join("\n\n", kept.Select(i => blocks[i].Trim('\r', '\n').TrimEnd())) + "\n";
    }

    private static IEnumerable<string> Definitions(string code, CodeLanguage language) =>
        (language == CodeLanguage.Python ? PythonDefinition() : JavaScriptDefinition()).Matches(code).Select(m => m.Groups["name"].Value);

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

    // Top-level definitions only (column 0): a nested helper is part of its enclosing definition.
    [GeneratedRegex(@"^(?:(?:async[ \t]+)?def[ \t]+(?<name>[A-Za-z_]\w*)|class[ \t]+(?<name>[A-Za-z_]\w*)|(?<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=))", RegexOptions.Multiline)]
    private static partial Regex PythonDefinition();

    [GeneratedRegex(@"^(?:export[ \t]+)?(?:(?:async[ \t]+)?function[ \t]*\*?[ \t]*|class[ \t]+|(?:const|let|var)[ \t]+)(?<name>[A-Za-z_$][\w$]*)", RegexOptions.Multiline)]
    private static partial Regex JavaScriptDefinition();

    [GeneratedRegex(@"[A-Za-z_$][\w$]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?:def |class |import |from \S+ import |#|[A-Za-z_]\w*\s*=|print\(|for |while |if )")]
    private static partial Regex PythonStart();

    [GeneratedRegex(@"^(?:function |const |let |var |class |import |//|'use strict'|""use strict""|console\.|module\.exports)")]
    private static partial Regex JavaScriptStart();
}
