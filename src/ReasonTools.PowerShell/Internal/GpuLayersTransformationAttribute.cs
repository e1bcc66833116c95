using System.Globalization;
using System.Management.Automation;
using ReasonTools.Core;
using ReasonTools.Core.Inference;

namespace ReasonTools.PowerShell.Internal;

/// <summary>Lets -GpuLayers take auto or a number of layers (-1 for every layer, 0 for none), as --gpu-layers does.</summary>
internal sealed class GpuLayersTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                GpuLayerSetting setting => setting,
                int or long or short or byte => GpuLayerSetting.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!),
                string text => GpuLayerSetting.Parse(text),
                _ => throw new ArgumentTransformationMetadataException($"-GpuLayers takes auto or a number of layers; got a {value?.GetType().Name ?? "null"}."),
            };
        }
        catch (ReasonFailure e)
        {
            throw new ArgumentTransformationMetadataException(e.Describe(PowerShellWording.Instance), e);
        }
    }
}
