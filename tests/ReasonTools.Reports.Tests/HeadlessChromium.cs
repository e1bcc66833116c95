using System.Diagnostics;

namespace ReasonTools.Reports.Tests;

/// <summary>
/// Debian's Chromium run headless on a file, one process per look, in a fresh profile. The browser is
/// installed by build/install-chromium.sh when missing; when that fails the caller gets the reason.
/// </summary>
internal sealed class HeadlessChromium
{
    private static readonly Lazy<(string? Path, string Error)> Installed = new(Install);
    private readonly string _path;

    private HeadlessChromium(string path) => _path = path;

    /// <summary>The browser, or a failed assertion saying why there is none.</summary>
    public static HeadlessChromium Require()
    {
        var (path, error) = Installed.Value;
        if (path is null) Assert.Fail("The browser test needs Chromium and build/install-chromium.sh could not provide it: " + error);
        return new HeadlessChromium(path);
    }

    /// <summary>The DOM after load, and every console message the page logged.</summary>
    public (string Dom, IReadOnlyList<string> Console) DumpDom(string htmlFile)
    {
        var (stdout, stderr) = Run(["--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(htmlFile).AbsoluteUri]);
        var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToArray();
        return (stdout, console);
    }

    /// <summary>A PNG of the page's first <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public byte[] Screenshot(string htmlFile, int width, int height)
    {
        var png = Path.Combine(Path.GetDirectoryName(htmlFile)!, Path.GetFileNameWithoutExtension(htmlFile) + ".png");
        Run(["--hide-scrollbars", $"--window-size={width},{height}", $"--screenshot={png}", new Uri(htmlFile).AbsoluteUri]);
        Assert.True(File.Exists(png), $"Chromium wrote no screenshot to {png}");
        return File.ReadAllBytes(png);
    }

    private (string Stdout, string Stderr) Run(IEnumerable<string> arguments)
    {
        var profile = Directory.CreateTempSubdirectory("rt-chromium-profile-");
        try
        {
            var start = new ProcessStartInfo(_path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.FullName })
            {
                start.ArgumentList.Add(flag);
            }
            foreach (var argument in arguments) start.ArgumentList.Add(argument);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("Chromium did not finish within 30 s");
            }
            process.WaitForExit();
            return (stdout.Result, stderr.Result);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static (string? Path, string Error) Install()
    {
        var script = FindRepositoryFile("build/install-chromium.sh");
        if (script is null) return (null, "build/install-chromium.sh not found above " + AppContext.BaseDirectory);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (null, "install-chromium.sh took more than 5 minutes");
        }
        process.WaitForExit();
        var path = stdout.Result.Trim().Split('\n').LastOrDefault()?.Trim();
        return process.ExitCode == 0 && File.Exists(path)
            ? (path, "")
            : (null, $"exit code {process.ExitCode}: {stderr.Result.Trim()}");
    }

    private static string? FindRepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
