using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace ReasonTools.Interactive;

/// <summary>Makes a magic command's result a variable of the notebook's C# kernel, for the cells that follow.</summary>
internal static class CellValues
{
    /// <summary>
    /// Lets the notebook's C# kernels name the result types. <c>#r "nuget: ..."</c> already does; a kernel hosted in
    /// code (a test, an app) loads the extension without it, and a bound variable of an unknown type would not compile.
    /// </summary>
    public static void ReferenceResultTypes(Kernel root)
    {
        var assemblies = new[] { typeof(Core.Inference.ReasonResult).Assembly, typeof(Reports.HtmlReport).Assembly, typeof(CellValues).Assembly };
        foreach (var csharp in root.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
            csharp.AddAssemblyReferences(assemblies.Select(a => a.Location).Where(l => l.Length > 0));
    }

    /// <summary>Binds <paramref name="value"/> to <paramref name="name"/> in every C# kernel of the notebook (none: nothing to do).</summary>
    public static async Task BindAsync<T>(Kernel from, string name, T value)
    {
        var root = from.RootKernel;
        foreach (var csharp in root.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
            await csharp.SetValueAsync(name, value, typeof(T)).ConfigureAwait(false);
    }
}
