namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>A program that runs answers (python3, node, chromium) and the host folders it needs visible in a sandbox.</summary>
internal sealed record Interpreter(string Path, IReadOnlyList<string> Folders)
{
    public static Interpreter? For(GraderKind kind) => kind switch
    {
        GraderKind.Python => Find("python3", "python"),
        GraderKind.JavaScript => Find("node", "nodejs"),
        GraderKind.Browser => FindBrowser(),
        _ => null,
    };

    /// <summary>The name a note gives the missing program.</summary>
    public static string Describe(GraderKind kind) => kind switch
    {
        GraderKind.Python => "python3",
        GraderKind.JavaScript => "node (Node.js)",
        _ => "Chromium (build/install-chromium.sh installs it)",
    };

    private static Interpreter? Find(params string[] names)
    {
        var path = ExecutableSearch.Find(names);
        if (path is null) return null;
        // Installed outside /usr (a version manager, /opt): its whole installation folder must be visible.
        var folders = path.StartsWith("/usr/", StringComparison.Ordinal) || !OperatingSystem.IsLinux()
            ? []
            : new[] { System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(path))! };
        return new Interpreter(path, folders);
    }

    // Debian's /usr/bin/chromium is a wrapper script; the browser itself lives in /usr/lib/chromium.
    private static Interpreter? FindBrowser() =>
        File.Exists("/usr/lib/chromium/chromium") ? new Interpreter("/usr/lib/chromium/chromium", []) : Find("chromium", "chromium-browser", "google-chrome", "chrome");
}
