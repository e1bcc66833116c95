using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning.Grading;

/// <summary>One number read from an answer.</summary>
/// <param name="Value">The value; for a percentage the number before the sign (25 for "25%").</param>
/// <param name="IsPercent">True when written with a percent sign.</param>
internal readonly record struct NumericValue(double Value, bool IsPercent)
{
    public override string ToString() => NumericAnswer.Format(Value) + (IsPercent ? "%" : "");
}

/// <summary>
/// Reads the numbers of a short answer in order: plain numbers, thousands separators, fractions,
/// <c>\frac</c>/<c>\dfrac</c>, <c>\sqrt</c>/√, π, powers, sums and products of those ("768 + 512\sqrt{2}"),
/// percentages. Words and variables separate numbers ("x = 1, y = 5" gives 1 and 5); parentheses holding a
/// comma are a tuple, not a group. In an "a = b" chain the right side counts, in "a ≈ b" the left (exact) side.
/// </summary>
internal static partial class NumericAnswer
{
    /// <summary>Reads every number; false (with a reason) when none could be read.</summary>
    public static bool TryParse(string text, out List<NumericValue> values, out string error)
    {
        values = [];
        error = "";
        if (text.Length > MaxLength)
        {
            error = $"it is longer than {MaxLength} characters";
            return false;
        }
        if (NestingDepth(text) > MaxNesting)
        {
            error = $"its brackets nest deeper than {MaxNesting} levels";
            return false;
        }
        string plain;
        try
        {
            plain = ToPlain(Prepare(text));
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
        var tokens = Tokenize(plain);
        MarkTupleBrackets(tokens);
        var parser = new Parser(tokens);
        values = parser.ReadAll();
        if (parser.Error is not null)
        {
            error = parser.Error;
            return false;
        }
        if (values.Count == 0)
        {
            error = "no number in it";
            return false;
        }
        return true;
    }

    /// <summary>Longest answer read as numbers; a final answer is a short expression, not a page.</summary>
    private const int MaxLength = 4000;

    /// <summary>Deepest bracket nesting read; keeps the recursive readers far from the stack's end.</summary>
    private const int MaxNesting = 64;

    /// <summary>Deepest chain of signs, powers and roots the parser follows.</summary>
    private const int MaxParseDepth = 256;

    private static int NestingDepth(string text)
    {
        int depth = 0, deepest = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '{') deepest = Math.Max(deepest, ++depth);
            else if (c is ')' or ']' or '}' && depth > 0) depth--;
        }
        return deepest;
    }

    /// <summary>A compact, culture-invariant rendering: integers whole, others to 6 significant digits.</summary>
    public static string Format(double value)
    {
        if (Math.Abs(value) < 1e15 && Math.Abs(value - Math.Round(value)) < 1e-9 * Math.Max(1, Math.Abs(value)))
            return Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
        return value.ToString("G6", CultureInfo.InvariantCulture);
    }

    // ---- text preparation -------------------------------------------------------------------------------

    private static string Prepare(string text)
    {
        var s = text.Replace('²', '\u0001').Replace('³', '\u0002');
        s = s.Normalize(NormalizationForm.FormKC).Replace("\u0001", "^2", StringComparison.Ordinal).Replace("\u0002", "^3", StringComparison.Ordinal);
        s = s.Replace('−', '-').Replace('–', '-').Replace('×', '*').Replace('·', '*').Replace('⋅', '*').Replace('÷', '/')
             .Replace("π", " pi ", StringComparison.Ordinal).Replace("°", "", StringComparison.Ordinal);
        s = Degrees().Replace(s, "");
        s = s.Replace("{,}", "", StringComparison.Ordinal).Replace("\\$", "", StringComparison.Ordinal)
             .Replace("$", "", StringComparison.Ordinal).Replace("\\%", "%", StringComparison.Ordinal);
        s = ThinSpaceInNumber().Replace(s, "");
        s = LatexSpacing().Replace(s, " ");
        return s;
    }

    /// <summary>Rewrites the LaTeX commands a numeric answer uses into a plain expression.</summary>
    private static string ToPlain(string s)
    {
        var output = new StringBuilder();
        var i = 0;
        AppendPlain(s, ref i, output, stopAt: null);
        return output.ToString();
    }

    private static void AppendPlain(string s, ref int i, StringBuilder output, char? stopAt)
    {
        while (i < s.Length)
        {
            var c = s[i];
            if (stopAt is not null && c == stopAt) return;
            if (c == '\\' && i + 1 < s.Length && char.IsLetter(s[i + 1]))
            {
                var start = ++i;
                while (i < s.Length && char.IsLetter(s[i])) i++;
                AppendCommand(s.Substring(start, i - start), s, ref i, output);
                continue;
            }
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '{' or '}')
            {
                output.Append(s[i + 1] == '{' ? " ( " : " ) ");
                i += 2;
                continue;
            }
            if (c == '{')
            {
                output.Append('(').Append(ReadGroup(s, ref i)).Append(')');
                continue;
            }
            output.Append(c == '}' ? ' ' : c);
            i++;
        }
    }

    private static void AppendCommand(string name, string s, ref int i, StringBuilder output)
    {
        switch (name)
        {
            case "frac" or "dfrac" or "tfrac" or "cfrac":
            {
                var numerator = ReadArgument(s, ref i);
                var denominator = ReadArgument(s, ref i);
                var whole = TrailingInteger(output);
                if (whole is not null && IsInteger(numerator) && IsInteger(denominator))
                {
                    // A mixed number: 2\frac{1}{2} is two and a half.
                    output.Length = whole.Value.Start;
                    output.Append(CultureInfo.InvariantCulture, $"({whole.Value.Digits}+({numerator})/({denominator}))");
                }
                else output.Append(CultureInfo.InvariantCulture, $" (({numerator})/({denominator})) ");
                return;
            }
            case "sqrt":
            {
                SkipSpaces(s, ref i);
                string? index = null;
                if (i < s.Length && s[i] == '[')
                {
                    var close = s.IndexOf(']', i);
                    if (close < 0) throw new FormatException("an unclosed \\sqrt[");
                    index = ToPlain(s.Substring(i + 1, close - i - 1));
                    i = close + 1;
                }
                var radicand = ReadArgument(s, ref i);
                output.Append(index is null ? $" sqrt({radicand}) " : $" (({radicand})^(1/({index}))) ");
                return;
            }
            case "pi": output.Append(" pi "); return;
            case "cdot" or "times" or "ast": output.Append(" * "); return;
            case "div": output.Append(" / "); return;
            case "approx" or "simeq" or "thickapprox": output.Append(" ≈ "); return;
            case "left" or "right" or "displaystyle" or "bigl" or "bigr" or "Bigl" or "Bigr": return;
            case "text" or "textbf" or "textit" or "textrm" or "mathrm" or "mathbf" or "mathit" or "operatorname" or "boxed" or "fbox":
                output.Append(' ').Append(ReadArgument(s, ref i)).Append(' ');
                return;
            default:
                output.Append(" \\").Append(name).Append(' '); // unknown commands separate numbers
                return;
        }
    }

    /// <summary>A brace group, or one character or command, rewritten to plain text.</summary>
    private static string ReadArgument(string s, ref int i)
    {
        SkipSpaces(s, ref i);
        if (i >= s.Length) throw new FormatException("a LaTeX command is missing its argument");
        if (s[i] == '{') return ReadGroup(s, ref i);
        if (s[i] == '\\' && i + 1 < s.Length && char.IsLetter(s[i + 1]))
        {
            var output = new StringBuilder();
            var start = ++i;
            while (i < s.Length && char.IsLetter(s[i])) i++;
            AppendCommand(s.Substring(start, i - start), s, ref i, output);
            return output.ToString();
        }
        return s[i++].ToString();
    }

    private static string ReadGroup(string s, ref int i)
    {
        i++; // the opening brace
        var inner = new StringBuilder();
        AppendPlain(s, ref i, inner, stopAt: '}');
        if (i >= s.Length) throw new FormatException("an unclosed brace");
        i++; // the closing brace
        return inner.ToString();
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }

    private static bool IsInteger(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    /// <summary>The whole number written just before a fraction (spaces allowed), for mixed numbers.</summary>
    private static (int Start, string Digits)? TrailingInteger(StringBuilder output)
    {
        var end = output.Length;
        while (end > 0 && output[end - 1] == ' ') end--;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(output[start - 1])) start--;
        if (start == end) return null;
        if (start > 0 && (output[start - 1] is '.' or '^' || char.IsLetter(output[start - 1]))) return null;
        return (start, output.ToString(start, end - start));
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    private enum Kind { Number, Sqrt, Pi, Plus, Minus, Times, Divide, Power, Open, Close, Comma, Equals, Approx, Percent, Separator }

    private sealed class Token(Kind kind, double value = 0)
    {
        public Kind Kind { get; set; } = kind;
        public double Value { get; } = value;
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        // "1,234" is one thousand two hundred and thirty-four only where commas cannot be separators.
        var thousandsAllowed = s.IndexOfAny(['(', '[']) < 0 && !CommaThenSpace().IsMatch(s);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                var match = (thousandsAllowed ? GroupedNumber() : PlainNumber()).Match(s, i);
                var digits = match.Value.Replace(",", "", StringComparison.Ordinal);
                tokens.Add(new Token(Kind.Number, double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture)));
                i += match.Length;
                continue;
            }
            if (char.IsLetter(c) && c < 128)
            {
                var start = i;
                while (i < s.Length && char.IsLetter(s[i]) && s[i] < 128) i++;
                var word = s[start..i];
                tokens.Add(word switch
                {
                    "sqrt" => new Token(Kind.Sqrt),
                    "pi" => new Token(Kind.Pi),
                    _ => new Token(Kind.Separator),
                });
                continue;
            }
            tokens.Add(c switch
            {
                '√' => new Token(Kind.Sqrt),
                '+' => new Token(Kind.Plus),
                '-' => new Token(Kind.Minus),
                '*' => new Token(Kind.Times),
                '/' => new Token(Kind.Divide),
                '^' => new Token(Kind.Power),
                '(' or '[' => new Token(Kind.Open),
                ')' or ']' => new Token(Kind.Close),
                ',' or ';' => new Token(Kind.Comma),
                '=' => new Token(Kind.Equals),
                '≈' => new Token(Kind.Approx),
                '%' => new Token(Kind.Percent),
                _ => new Token(Kind.Separator),
            });
            i++;
        }
        return tokens;
    }

    /// <summary>Turns brackets that hold a top-level comma ("(1, 5)") into separators: they list, they do not group.</summary>
    private static void MarkTupleBrackets(List<Token> tokens)
    {
        var opens = new Stack<(int Index, bool HasComma)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case Kind.Open:
                    opens.Push((i, false));
                    break;
                case Kind.Comma when opens.Count > 0:
                    opens.Push((opens.Pop().Index, true));
                    break;
                case Kind.Close when opens.Count > 0:
                    var (open, hasComma) = opens.Pop();
                    if (hasComma)
                    {
                        tokens[open].Kind = Kind.Comma;
                        tokens[i].Kind = Kind.Comma;
                    }
                    break;
            }
        }
    }

    // ---- parsing -----------------------------------------------------------------------------------------

    private sealed class Parser(List<Token> tokens)
    {
        private int _position;
        private int _depth;

        public string? Error { get; private set; }

        public List<NumericValue> ReadAll()
        {
            var values = new List<NumericValue>();
            var link = Kind.Separator; // what joins the next number to the previous one
            while (_position < tokens.Count)
            {
                var start = _position;
                var value = ParseExpression();
                if (Error is not null) return values;
                if (value is null)
                {
                    _position = start;
                    var skipped = tokens[_position++].Kind;
                    if (skipped == Kind.Power) SkipPowerOperand(); // a unit's exponent: cm^2
                    link = skipped is Kind.Equals or Kind.Approx && link == Kind.Number ? skipped : Kind.Separator;
                    continue;
                }
                if (double.IsNaN(value.Value) || double.IsInfinity(value.Value))
                {
                    Error = "a part of it is not a finite number (division by zero or a root of a negative number)";
                    return values;
                }
                var isPercent = _position < tokens.Count && tokens[_position].Kind == Kind.Percent;
                if (isPercent) _position++;
                var number = new NumericValue(value.Value, isPercent);
                if (link == Kind.Equals && values.Count > 0) values[^1] = number;
                else if (link != Kind.Approx) values.Add(number);
                link = Kind.Number;
            }
            return values;
        }

        private void SkipPowerOperand()
        {
            if (_position >= tokens.Count) return;
            if (tokens[_position].Kind != Kind.Open) { _position++; return; }
            var depth = 0;
            do
            {
                if (tokens[_position].Kind == Kind.Open) depth++;
                else if (tokens[_position].Kind == Kind.Close) depth--;
                _position++;
            }
            while (_position < tokens.Count && depth > 0);
        }

        private Kind? Peek() => _position < tokens.Count ? tokens[_position].Kind : null;

        private double? ParseExpression()
        {
            var left = ParseTerm();
            if (left is null) return null;
            while (Peek() is Kind.Plus or Kind.Minus)
            {
                var save = _position;
                var op = tokens[_position++].Kind;
                var right = ParseTerm();
                if (right is null) { _position = save; break; }
                left = op == Kind.Plus ? left + right : left - right;
            }
            return left;
        }

        private double? ParseTerm()
        {
            var left = ParseUnary();
            if (left is null) return null;
            while (true)
            {
                var save = _position;
                var kind = Peek();
                double? right;
                if (kind is Kind.Times or Kind.Divide)
                {
                    _position++;
                    right = ParseUnary();
                    if (right is null) { _position = save; break; }
                    left = kind == Kind.Times ? left * right : left / right;
                    continue;
                }
                if (kind is Kind.Sqrt or Kind.Pi or Kind.Open)
                {
                    // Implicit product: 512\sqrt{2}, 2\pi, 3(1 + \sqrt{5}).
                    right = ParsePower();
                    if (right is null) { _position = save; break; }
                    left *= right;
                    continue;
                }
                break;
            }
            return left;
        }

        private double? ParseUnary()
        {
            var save = _position;
            var negative = false;
            while (Peek() is Kind.Minus or Kind.Plus)
                negative ^= tokens[_position++].Kind == Kind.Minus;
            var operand = ParsePower();
            if (operand is null) { _position = save; return null; }
            return negative ? -operand : operand;
        }

        /// <summary>Every recursion (brackets, roots, powers) passes here, so this is where depth is bounded.</summary>
        private double? ParsePower()
        {
            if (++_depth > MaxParseDepth)
            {
                Error = $"it chains more than {MaxParseDepth} powers, roots or brackets";
                _depth--;
                return null;
            }
            try
            {
                return ParsePowerCore();
            }
            finally
            {
                _depth--;
            }
        }

        private double? ParsePowerCore()
        {
            var atom = ParseAtom();
            if (atom is null) return null;
            if (Peek() == Kind.Power)
            {
                var save = _position++;
                var exponent = ParseUnary();
                if (exponent is null) { _position = save; return atom; }
                return Math.Pow(atom.Value, exponent.Value);
            }
            return atom;
        }

        private double? ParseAtom()
        {
            var save = _position;
            switch (Peek())
            {
                case Kind.Number:
                    return tokens[_position++].Value;
                case Kind.Pi:
                    _position++;
                    return Math.PI;
                case Kind.Sqrt:
                {
                    _position++;
                    var radicand = ParsePower();
                    if (radicand is null) { _position = save; return null; }
                    return Math.Sqrt(radicand.Value);
                }
                case Kind.Open:
                {
                    _position++;
                    var inner = ParseExpression();
                    if (inner is null || Peek() != Kind.Close) { _position = save; return null; }
                    _position++;
                    return inner;
                }
                default:
                    return null;
            }
        }
    }

    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"(?<=\d)\\[,;:! ](?=\d)")]
    private static partial Regex ThinSpaceInNumber();

    [GeneratedRegex(@"\\[,;:! ]|\\quad|\\qquad")]
    private static partial Regex LatexSpacing();

    [GeneratedRegex(@",\s")]
    private static partial Regex CommaThenSpace();

    [GeneratedRegex(@"\G(?:\d{1,3}(?:,\d{3})+(?!\d)|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex GroupedNumber();

    [GeneratedRegex(@"\G\d*(?:\.\d+)?(?:[eE][+-]?\d+)?")]
    private static partial Regex PlainNumber();
}
