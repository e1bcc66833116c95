using System.Management.Automation;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// Makes <c>ConvertTo-Json</c> write the module's enums by their contract names ("finishReason": "length",
/// "placement": "cpu"), as <c>reason --json</c> does, instead of their numbers.
/// </summary>
/// <remarks>
/// PowerShell 7's ConvertTo-Json flattens an object into dictionaries itself (so type data and attributes on
/// properties are not consulted) and hands the result to Newtonsoft.Json, whose default settings it extends rather
/// than replaces. A converter added there for enums of ReasonTools' own assemblies only is the one hook that reaches
/// every result; every other type serializes exactly as before, and <c>-EnumsAsStrings</c> still wins (its converter
/// is tried first).
/// </remarks>
public sealed class JsonEnumNames : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Registers the converter once per process, keeping any default settings another module set.</summary>
    public void OnImport()
    {
        lock (Gate)
        {
            if (_registered) return;
            var previous = JsonConvert.DefaultSettings;
            JsonConvert.DefaultSettings = () =>
            {
                var settings = previous?.Invoke() ?? new JsonSerializerSettings();
                settings.Converters.Add(new ReasonEnumConverter());
                return settings;
            };
            _registered = true;
        }
    }

    /// <summary>camelCase names for the enums of ReasonTools' assemblies; any other type is left to the serializer.</summary>
    internal sealed class ReasonEnumConverter : StringEnumConverter
    {
        public ReasonEnumConverter() : base(new CamelCaseNamingStrategy(), allowIntegerValues: false) { }

        public override bool CanConvert(Type objectType)
        {
            var type = Nullable.GetUnderlyingType(objectType) ?? objectType;
            return type.IsEnum && (type.Assembly == typeof(Core.Inference.FinishReason).Assembly || type.Assembly == typeof(JsonEnumNames).Assembly);
        }
    }
}
