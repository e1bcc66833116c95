using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Opens an answer's HTML page in headless Chromium inside the sandbox, with a harness script injected ahead of the
/// page's own: it collects script errors, does the prompt's checks after load (keys pressed, canvas compared, element
/// text matched) and writes its verdict into the DOM, which <c>--dump-dom</c> prints. Virtual time lets the page's
/// timers run through the waits without real waiting.
/// </summary>
public static partial class BrowserGrader
{
    internal static async Task<CodeGradeResult> GradeAsync(string page, CodeTests tests, Interpreter browser, ICodeSandbox sandbox, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var budget = 1000 + tests.Checks.Sum(c => Math.Max(0, c.WaitMs) + 100 * c.Keys.Count);
        var run = await sandbox.RunAsync(new SandboxCommand
        {
            Program = browser.Path,
            Arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-crash-reporter", "--disable-breakpad", "--user-data-dir=/tmp/profile",
                $"--virtual-time-budget={budget}", "--dump-dom", "file://" + SandboxCommand.TaskFolder + "/page.html",
            ],
            Files = new Dictionary<string, string> { ["page.html"] = Inject(page, Harness(nonce, tests.Checks)) },
            ReadOnlyFolders = browser.Folders,
            Limits = limits,
        }, cancellationToken).ConfigureAwait(false);
        return Verdict(run, nonce, tests, page);
    }

    /// <summary>Reads the harness's verdict from the dumped DOM (pure).</summary>
    internal static CodeGradeResult Verdict(SandboxRun run, string nonce, CodeTests tests, string page)
    {
        var total = tests.Count;
        if (run.LimitHit is not null) return new CodeGradeResult(false, 0, total, $"the page did not finish loading: {run.LimitHit}", page);
        var match = Regex.Match(run.Stdout, $"<pre id=\"reasontools-verdict-{nonce}\">(?<json>.*?)</pre>", RegexOptions.Singleline);
        if (!match.Success)
            return new CodeGradeResult(false, 0, total, run.ExitCode == 0
                ? "the page never finished loading (no load event within the time budget)"
                : $"the browser failed (exit {run.ExitCode}): {ProgramVerdict.LastError(run.Stderr)}", page);
        using var verdict = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups["json"].Value));
        var errors = verdict.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        var passed = errors.Count == 0 ? 1 : 0;
        string? firstFailure = errors.Count == 0 ? null : $"script error: {errors[0]}";
        var index = 0;
        foreach (var result in verdict.RootElement.GetProperty("results").EnumerateArray())
        {
            index++;
            if (result.GetProperty("ok").GetBoolean()) passed++;
            else firstFailure ??= $"check {index} of {tests.Checks.Count}: {result.GetProperty("why").GetString()}";
        }
        return ProgramVerdict.Compose(passed, total, firstFailure, page);
    }

    /// <summary>The harness goes first in &lt;head&gt; (after a doctype), so it sees every error of the page's scripts.</summary>
    internal static string Inject(string page, string harness)
    {
        var tag = $"<script>{harness}</script>";
        var head = HeadOpen().Match(page);
        if (head.Success) return page.Insert(head.Index + head.Length, tag);
        var doctype = Doctype().Match(page);
        return doctype.Success ? page.Insert(doctype.Index + doctype.Length, tag) : tag + page;
    }

    private static string Harness(string nonce, IReadOnlyList<BrowserCheck> checks)
    {
        var json = JsonSerializer.Serialize(checks.Select(c => new { keys = c.Keys, waitMs = c.WaitMs, canvasChanges = c.CanvasChanges, selector = c.Selector, textPattern = c.TextPattern }))
            .Replace("</", "<\\/", StringComparison.Ordinal);
        return HarnessScript.Replace("%NONCE%", nonce, StringComparison.Ordinal).Replace("%CHECKS%", json, StringComparison.Ordinal);
    }

    // The harness keeps its own references to the DOM functions it uses and removes its tag, so the page's scripts
    // neither see the nonce nor change how the verdict is written.
    private const string HarnessScript = """
(() => {
  const nonce = "%NONCE%", checks = %CHECKS%, errors = [];
  const me = document.currentScript; if (me) me.remove();
  const later = window.setTimeout.bind(window), create = Document.prototype.createElement, append = Node.prototype.appendChild;
  const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent'), stringify = JSON.stringify;
  window.addEventListener('error', e => errors.push(String(e.message || e.error || 'error loading ' + (e.target && (e.target.src || e.target.href)))), true);
  window.addEventListener('unhandledrejection', e => errors.push('unhandled promise rejection: ' + String(e.reason)));
  const sleep = ms => new Promise(r => later(r, ms));
  const pixels = () => { const c = document.querySelector('canvas'); if (!c) return null; try { return c.toDataURL(); } catch (e) { return 'unreadable: ' + e.message; } };
  const codes = { ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40, ' ': 32, Enter: 13, Escape: 27 };
  const press = (key, type) => {
    const e = new KeyboardEvent(type, { key, code: key === ' ' ? 'Space' : key, bubbles: true, cancelable: true });
    Object.defineProperty(e, 'keyCode', { get: () => codes[key] || 0 });
    Object.defineProperty(e, 'which', { get: () => codes[key] || 0 });
    (document.activeElement || document.body || document).dispatchEvent(e);
  };
  const run = async () => {
    await sleep(300);
    const results = [];
    for (const c of checks) {
      const before = pixels();
      for (const k of c.keys) { press(k, 'keydown'); await sleep(50); press(k, 'keyup'); await sleep(50); }
      await sleep(c.waitMs);
      let ok = true, why = '';
      const after = ' after ' + (c.keys.length ? 'pressing ' + c.keys.join(', ') + ' and ' : '') + 'waiting ' + c.waitMs + ' ms';
      if (c.canvasChanges) {
        if (before === null) { ok = false; why = 'the page has no canvas'; }
        else if (pixels() === before) { ok = false; why = 'the canvas did not change' + after; }
      }
      if (ok && c.selector) {
        const el = document.querySelector(c.selector);
        if (!el) { ok = false; why = 'no element matches ' + c.selector + after; }
        else if (!new RegExp(c.textPattern || '').test(text.get.call(el))) { ok = false; why = c.selector + ' reads "' + text.get.call(el).trim().slice(0, 80) + '", not /' + c.textPattern + '/' + after; }
      }
      results.push({ ok, why });
    }
    const out = create.call(document, 'pre');
    out.id = 'reasontools-verdict-' + nonce;
    text.set.call(out, stringify({ errors, results }));
    append.call(document.documentElement, out);
  };
  window.addEventListener('load', () => { run().catch(e => errors.push('harness: ' + e)); });
})();
""";

    [GeneratedRegex(@"<head\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HeadOpen();

    [GeneratedRegex(@"^\s*<!doctype[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();
}
