using System.Globalization;
using System.Management.Automation;

namespace ReasonTools.PowerShell.Internal;

/// <summary>Accepts only the catalog's sizes (1.5B … 70B, any case), so the list follows the catalog.</summary>
internal sealed class ValidateCatalogSizeAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var value = element is PSObject wrapped ? wrapped.BaseObject : element;
        var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (!ModelReference.CatalogSizes.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException(
                $"'{text}' is not a catalog size. Use one of {string.Join(", ", ModelReference.CatalogSizes.Select(s => s.ToUpperInvariant()))}.");
    }
}
