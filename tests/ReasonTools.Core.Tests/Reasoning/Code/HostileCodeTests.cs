using System.Diagnostics;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Reasoning.Code;

/// <summary>
/// Hostile answers through each grader: each ends as a failed test with a reason, within the limits, and nothing
/// outside the sandbox changes. A host folder outside the sandbox holds a canary file the answers try to read and
/// overwrite, and a folder they try to create files in.
/// </summary>
public sealed class HostileCodeTests : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("rt-outside-").FullName;
    private readonly string _canary;
    private static readonly CodeTests OneCase = new() { Cases = [new StdioCase("", "ok\n")] };

    public HostileCodeTests()
    {
        _canary = Path.Combine(_outside, "secret.txt");
        File.WriteAllText(_canary, "the user's secret");
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    private static readonly CodeExecutionOptions Options = new()
    {
        Limits = new SandboxLimits { CpuSeconds = 3, WallTime = TimeSpan.FromSeconds(8) },
        BrowserLimits = new CodeExecutionOptions().BrowserLimits with { WallTime = TimeSpan.FromSeconds(40), CpuSeconds = 40 },
    };

    /// <summary>(what it does, Python, JavaScript, the words the reason must hold); every program prints "ok" only if its attack worked.</summary>
    public static TheoryData<string> Attacks => new() { "infinite loop", "fork bomb", "2 GB allocation", "1 GB of output", "network connection", "write outside", "read home" };

    private string Python(string attack) => attack switch
    {
        "infinite loop" => "while True:\n    pass\n",
        "fork bomb" => "import os\nwhile True:\n    os.fork()\n",
        "2 GB allocation" => "x = bytearray(2 * 1024 ** 3)\nprint('ok')\n",
        "1 GB of output" => "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n",
        "network connection" => "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\nprint('ok')\n",
        "write outside" => $"open({Quote(_canary)}, 'w').write('changed')\nopen({Quote(Path.Combine(_outside, "new.txt"))}, 'w').write('x')\nprint('ok')\n",
        "read home" => $"import os\nprint(open({Quote(_canary)}).read())\nprint(os.listdir({Quote(HomeFolder)}))\nprint('ok')\n",
        _ => throw new ArgumentOutOfRangeException(nameof(attack)),
    };

    private string JavaScript(string attack) => attack switch
    {
        "infinite loop" => "while (true) {}\n",
        "fork bomb" => "const { spawn } = require('child_process');\nfor (;;) spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);\n",
        "2 GB allocation" => "const b = Buffer.alloc(2 * 1024 ** 3, 1);\nconsole.log('ok');\n",
        "1 GB of output" => "const chunk = 'x'.repeat(1 << 20);\nfor (let i = 0; i < 1024; i++) process.stdout.write(chunk);\n",
        "network connection" => "const s = require('net').connect(80, '1.1.1.1', () => { console.log('ok'); s.end(); });\ns.on('error', e => { console.error('Error: ' + e.message); process.exit(1); });\n",
        "write outside" => $"const fs = require('fs');\nfs.writeFileSync({Quote(_canary)}, 'changed');\nfs.writeFileSync({Quote(Path.Combine(_outside, "new.txt"))}, 'x');\nconsole.log('ok');\n",
        "read home" => $"const fs = require('fs');\nconsole.log(fs.readFileSync({Quote(_canary)}, 'utf8'));\nconsole.log(fs.readdirSync({Quote(HomeFolder)}));\nconsole.log('ok');\n",
        _ => throw new ArgumentOutOfRangeException(nameof(attack)),
    };

    private static string HomeFolder => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string Quote(string path) => "'" + path.Replace("\\", "\\\\", StringComparison.Ordinal) + "'";

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_hostile_python_answer_fails_with_a_reason_and_changes_nothing_outside(string attack) =>
        await AssertContained(attack, GraderKind.Python, ReferenceAnswers.Fenced("python", Python(attack)), Options.Limits);

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_hostile_javascript_answer_fails_with_a_reason_and_changes_nothing_outside(string attack) =>
        await AssertContained(attack, GraderKind.JavaScript, ReferenceAnswers.Fenced("javascript", JavaScript(attack)), Options.Limits);

    public static TheoryData<string> PageAttacks => new() { "infinite loop", "fork bomb", "2 GB allocation", "1 GB of output", "network connection", "write outside", "read home" };

    /// <summary>The same attacks from a page's script; a page that succeeded would turn the checked element to "ok".</summary>
    private string Page(string attack)
    {
        var script = attack switch
        {
            "infinite loop" => "while (true) {}",
            "fork bomb" => "for (let i = 0; i < 2000; i++) { const f = document.createElement('iframe'); f.src = 'page.html?' + i; document.body.appendChild(f); }",
            "2 GB allocation" => "const b = new Uint8Array(2 * 1024 ** 3); b.fill(1); const more = []; for (let i = 0; i < 8; i++) more.push(new Uint8Array(1024 ** 3).fill(1));",
            "1 GB of output" => "const chunk = 'x'.repeat(1 << 20); for (let i = 0; i < 1024; i++) document.body.appendChild(document.createTextNode(chunk));",
            "network connection" => "fetch('http://1.1.1.1/').then(() => { document.getElementById('r').textContent = 'ok'; });",
            "write outside" => $"fetch('file://{_canary}', {{ method: 'PUT', body: 'changed' }}).then(() => {{ document.getElementById('r').textContent = 'ok'; }});",
            "read home" => $"fetch('file://{_canary}').then(r => r.text()).then(t => {{ document.getElementById('r').textContent = 'ok'; }});",
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
        return $"<!DOCTYPE html><html><head><title>x</title></head><body><p id=\"r\">no</p><script>{script}</script></body></html>";
    }

    [Theory]
    [MemberData(nameof(PageAttacks))]
    public async Task A_hostile_page_fails_with_a_reason_and_changes_nothing_outside(string attack)
    {
        var tests = new CodeTests { Checks = [new BrowserCheck { Selector = "#r", TextPattern = "^ok$", WaitMs = 500 }] };
        var started = Stopwatch.StartNew();
        var grade = await CodeGrader.GradeAsync(ReferenceAnswers.Fenced("html", Page(attack)), GraderKind.Browser, tests, Options, CancellationToken.None);
        Assert.False(grade.Correct, grade.Reason);
        Assert.False(string.IsNullOrWhiteSpace(grade.Reason));
        Assert.True(started.Elapsed < Options.BrowserLimits.WallTime + TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        AssertNothingChangedOutside();
    }

    [Fact]
    public async Task A_page_allocating_2_GB_fails_the_check_with_the_allocation_failure_as_its_reason()
    {
        var page = "<!DOCTYPE html><html><head></head><body><p id=\"r\">no</p><script>" +
                   "const b = new Uint8Array(2 * 1024 ** 3); b.fill(1); document.getElementById('r').textContent = 'ok';</script></body></html>";
        var tests = new CodeTests { Checks = [new BrowserCheck { Selector = "#r", TextPattern = "^ok$", WaitMs = 100 }] };

        var grade = await CodeGrader.GradeAsync(ReferenceAnswers.Fenced("html", page), GraderKind.Browser, tests, new CodeExecutionOptions(), CancellationToken.None);

        Assert.False(grade.Correct, grade.Reason);
        Assert.Matches("script error: .*(RangeError|allocation failed)", grade.Reason);
    }

    private async Task AssertContained(string attack, GraderKind kind, string answer, SandboxLimits limits)
    {
        var started = Stopwatch.StartNew();
        var grade = await CodeGrader.GradeAsync(answer, kind, OneCase, Options, CancellationToken.None);
        Assert.False(grade.Correct, grade.Reason);
        Assert.Equal(0, grade.TestsPassed);
        Assert.Equal(1, grade.TestsTotal);
        Assert.Matches(ExpectedReason(attack), grade.Reason);
        Assert.True(started.Elapsed < limits.WallTime + TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        AssertNothingChangedOutside();
    }

    private static string ExpectedReason(string attack) => attack switch
    {
        "infinite loop" => "CPU-time limit|wall-time limit|killed",
        "fork bomb" => "test 1 of 1: (CPU-time limit|wall-time limit|killed|crashed with SIG(ABRT|SEGV)|exited with code \\d+: .*(BlockingIOError|Resource temporarily unavailable|EAGAIN|Traceback))",
        "2 GB allocation" => "MemoryError|RangeError|allocation failed|memory",
        "1 GB of output" => "output limit: printed more than 1 MiB",
        "network connection" => "Network is unreachable|ENETUNREACH|connect",
        "write outside" => "Read-only file system|No such file or directory|ENOENT|EROFS",
        "read home" => "No such file or directory|ENOENT",
        _ => throw new ArgumentOutOfRangeException(nameof(attack)),
    };

    private void AssertNothingChangedOutside()
    {
        Assert.Equal("the user's secret", File.ReadAllText(_canary));
        Assert.Equal(["secret.txt"], Directory.GetFiles(_outside).Select(Path.GetFileName));
    }
}
