namespace ReasonTools.Core.Tests.Reasoning.Code;

internal static class Repository
{
    /// <summary>A folder of the repository (found above the test assembly by ReasonTools.sln).</summary>
    public static string Folder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReasonTools.sln"))) return Path.Combine(dir.FullName, relative);
        }
        throw new DirectoryNotFoundException("ReasonTools.sln not found above " + AppContext.BaseDirectory);
    }
}
