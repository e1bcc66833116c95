using System.Text.Json.Serialization;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Backends;

/// <summary>
/// One llama.cpp build on this machine: whether it is installed and where, whether llama.cpp publishes it for this
/// platform, and whether the resolver would load it now.
/// </summary>
public sealed record BackendStatus([property: JsonConverter(typeof(CamelCaseEnumConverter<BackendVariant>))] BackendVariant Variant, bool Available, bool Installed, string? Folder, bool Selected);

/// <summary>The builds as the resolver sees them, with the reason the chosen one was chosen.</summary>
public sealed record BackendInventory(string Version, string RuntimeIdentifier, IReadOnlyList<BackendStatus> Backends, string? Notice)
{
    /// <summary>Looks at the folders the resolver searches and decides as it would, loading nothing.</summary>
    public static BackendInventory Collect()
    {
        var rid = LlamaNativeLibrary.RuntimeIdentifier;
        var (choice, installed) = LlamaNativeLibrary.DecideVariant();
        var available = BackendInstaller.Available(rid);
        var defaultFolder = LlamaNativeLibrary.VariantFolders(BackendVariant.Default).Select(f => f.Folder)
            .FirstOrDefault(f => LlamaNativeLibrary.FindFile(f, LlamaNativeLibrary.LlamaName) is not null);
        var rows = new List<BackendStatus> { new(BackendVariant.Default, true, defaultFolder is not null, defaultFolder, choice.Variant == BackendVariant.Default) };
        foreach (var variant in new[] { BackendVariant.Cuda, BackendVariant.Vulkan })
        {
            var folder = installed.TryGetValue(variant, out var f) ? f : null;
            rows.Add(new(variant, available.Contains(variant), folder is not null, folder, choice.Variant == variant));
        }
        return new BackendInventory(LlamaNativeLibrary.PinnedNpmVersion, rid, rows, choice.Notice);
    }
}
