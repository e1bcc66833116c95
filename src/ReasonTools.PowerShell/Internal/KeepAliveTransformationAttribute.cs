using System.Management.Automation;
using ReasonTools.Core.Hosting;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// Lets -KeepAlive take what Ollama's keep_alive takes: '5m', '30s', '1h30m', a number of seconds (0 unloads at
/// once, a negative number keeps the model loaded) or a TimeSpan.
/// </summary>
internal sealed class KeepAliveTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                null => null,
                TimeSpan span => span < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : span,
                int or long or double or float or decimal => KeepAlive.Parse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!),
                string text => KeepAlive.Parse(text),
                _ => throw new ArgumentTransformationMetadataException($"-KeepAlive takes a duration such as 5m, 30s or 1h30m, a number of seconds, or a TimeSpan; got a {value.GetType().Name}."),
            };
        }
        catch (FormatException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
