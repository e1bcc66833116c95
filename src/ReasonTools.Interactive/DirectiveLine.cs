using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace ReasonTools.Interactive;

/// <summary>
/// Reads a magic command's options from the cell's own text. Needed for an option given more than once
/// (<c>--model A --model B</c>): the directive parser of .NET Interactive 1.0.0-beta.26120.1 hands a handler no value
/// at all for a parameter that occurs twice, whatever its MaxOccurrences.
/// </summary>
internal static class DirectiveLine
{
    /// <summary>Every value of <paramref name="option"/> on the line of <paramref name="cell"/> that starts with <paramref name="directive"/>, unquoted.</summary>
    public static IReadOnlyList<string> Values(string cell, string directive, string option)
    {
        var line = cell.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(directive + " ", StringComparison.Ordinal) || l == directive);
        if (line is null) return [];
        var words = Split(line);
        var values = new List<string>();
        for (var i = 1; i < words.Count - 1; i++)
            if (words[i] == option) values.Add(words[++i]);
        return values;
    }

    /// <summary>
    /// <paramref name="value"/>, or for <c>@csharp:name</c> the text of that C# variable (the value sharing other magic
    /// commands do), each item of it when it is a list of strings; a variable that does not exist is an error naming it.
    /// </summary>
    public static IReadOnlyList<string> Expand(Kernel kernel, string option, string value)
    {
        const string Prefix = "@csharp:";
        if (!value.StartsWith(Prefix, StringComparison.Ordinal)) return [value];
        var name = value[Prefix.Length..];
        foreach (var csharp in kernel.RootKernel.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
        {
            if (!csharp.TryGetValue<object>(name, out var found) || found is null) continue;
            return found is IEnumerable<string> many ? [.. many] : [found.ToString() ?? ""];
        }
        throw new ArgumentException($"{option} {value}: the C# kernel has no variable '{name}' (run the cell that sets it first).");
    }

    // Words separated by whitespace; "..." or '...' keeps spaces inside one word.
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
