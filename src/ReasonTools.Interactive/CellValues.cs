using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace ReasonTools.Interactive;

/// <summary>Makes a magic command's result a variable of the notebook's C# kernel, for the cells that follow.</summary>
internal static class CellValues
{
    /// <summary>Binds <paramref name="value"/> to <paramref name="name"/> in every C# kernel of the notebook (none: nothing to do).</summary>
    public static async Task BindAsync<T>(Kernel from, string name, T value)
    {
        var root = from.RootKernel;
        foreach (var csharp in root.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
            await csharp.SetValueAsync(name, value, typeof(T)).ConfigureAwait(false);
    }
}
