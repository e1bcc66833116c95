using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

// Usage: HelpGenerator <cmdlet assembly> <its XML documentation> <output MAML file>
// Fails (exit 1) when a cmdlet has no synopsis or example, or a parameter has no description: help that
// Get-Help would show empty is a build error, not a surprise for the user.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HelpGenerator <assembly.dll> <assembly.xml> <output-Help.xml>");
    return 2;
}
try
{
    var problems = new List<string>();
    var maml = MamlGenerator.Generate(args[0], args[1], problems);
    if (problems.Count > 0)
    {
        foreach (var problem in problems) Console.Error.WriteLine($"HelpGenerator: error: {problem}");
        return 1;
    }
    maml.Save(args[2]);
    return 0;
}
catch (Exception e) when (e is IOException or BadImageFormatException or System.Xml.XmlException)
{
    Console.Error.WriteLine($"HelpGenerator: error: {e.Message}");
    return 1;
}

/// <summary>Reads cmdlets from an assembly without loading PowerShell and writes their MAML help.</summary>
internal static class MamlGenerator
{
    private const string Sma = "System.Management.Automation.";
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Generate(string assemblyPath, string xmlDocPath, List<string> problems)
    {
        var docs = XmlDocs.Load(xmlDocPath);
        var assemblyDir = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        var toolDir = AppContext.BaseDirectory;
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(assemblyDir, "*.dll"))
            .Append(Path.Combine(toolDir, "System.Management.Automation.dll"));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));

        var cmdlets = assembly.GetTypes()
            .Select(t => (Type: t, Attribute: Attribute(t.GetCustomAttributesData(), "CmdletAttribute")))
            .Where(c => c.Attribute is not null && c.Type.IsPublic)
            .OrderBy(c => c.Type.Name, StringComparer.Ordinal)
            .ToList();
        if (cmdlets.Count == 0) problems.Add($"{assemblyPath} has no public cmdlet.");

        var names = cmdlets.Select(c => $"{c.Attribute!.ConstructorArguments[0].Value}-{c.Attribute.ConstructorArguments[1].Value}").ToList();
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
        foreach (var (type, attribute) in cmdlets)
            root.Add(CommandElement(type, attribute!, docs, names, problems));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement CommandElement(Type type, CustomAttributeData cmdlet, XmlDocs docs, IReadOnlyList<string> allCommands, List<string> problems)
    {
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var name = $"{verb}-{noun}";
        var typeDoc = docs.Member("T:" + type.FullName);
        var synopsis = XmlDocs.Paragraphs(typeDoc?.Element("summary"));
        var description = XmlDocs.Paragraphs(typeDoc?.Element("remarks"));
        if (synopsis.Count == 0) problems.Add($"{name} ({type.FullName}) has no <summary>: it is the help's synopsis.");
        var examples = typeDoc?.Elements("example").ToList() ?? [];
        if (examples.Count == 0) problems.Add($"{name} ({type.FullName}) has no <example>.");

        var parameters = CmdletParameters(type, docs, name, problems);
        if (Named(cmdlet, "SupportsShouldProcess") is true) parameters.AddRange(ShouldProcessParameters());
        var defaultSet = Named(cmdlet, "DefaultParameterSetName") as string;
        var sets = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().ToList();
        if (sets.Count == 0) sets.Add(AllSets);
        sets = sets.OrderBy(s => s == defaultSet ? 0 : 1).ToList();

        var command = new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", name),
                new XElement(Command + "verb", verb),
                new XElement(Command + "noun", noun),
                Description(synopsis)),
            Description(description.Count > 0 ? description : synopsis),
            new XElement(Command + "syntax", sets.Select(set => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", name),
                parameters.Where(p => p.Sets.ContainsKey(set) || p.Sets.ContainsKey(AllSets))
                    .OrderBy(p => p.For(set).Position ?? int.MaxValue)
                    .Select(p => ParameterElement(p, p.For(set)))))),
            new XElement(Command + "parameters", parameters.Select(p => ParameterElement(p, p.Sets.Values.First()))),
            new XElement(Command + "inputTypes", InputTypes(parameters)),
            new XElement(Command + "returnValues", OutputTypes(type).Select(t => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", t), new XElement(Maml + "uri")),
                Description([])))),
            new XElement(Command + "examples", examples.Select((e, i) => ExampleElement(e, i + 1, name, problems))),
            new XElement(Command + "relatedLinks", allCommands.Where(c => c != name).Append("about_ReasonTools")
                .Select(link => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", link), new XElement(Maml + "uri")))));
        return command;
    }

    private const string AllSets = "__AllParameterSets";

    private sealed record SetBinding(int? Position, bool Mandatory, bool ByValue, bool ByPropertyName);

    private sealed record ParameterHelp(string Name, string TypeName, bool IsSwitch, IReadOnlyList<string> Aliases,
        IReadOnlyList<string> Description, string? DefaultValue, IReadOnlyList<string> AllowedValues, bool Globbing,
        Dictionary<string, SetBinding> Sets)
    {
        public SetBinding For(string set) => Sets.TryGetValue(set, out var b) ? b : Sets[AllSets];
    }

    private static List<ParameterHelp> CmdletParameters(Type type, XmlDocs docs, string cmdletName, List<string> problems)
    {
        var result = new List<ParameterHelp>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .OrderBy(p => p.DeclaringType == type ? 0 : 1).ThenBy(p => p.MetadataToken))
        {
            var attributes = property.GetCustomAttributesData();
            var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
            if (parameterAttributes.Count == 0) continue;
            var sets = new Dictionary<string, SetBinding>();
            foreach (var p in parameterAttributes)
            {
                var position = Named(p, "Position") is int pos && pos != int.MinValue ? pos : (int?)null;
                sets[Named(p, "ParameterSetName") as string ?? AllSets] = new SetBinding(position, Named(p, "Mandatory") is true,
                    Named(p, "ValueFromPipeline") is true, Named(p, "ValueFromPipelineByPropertyName") is true);
            }
            var doc = docs.Member($"P:{property.DeclaringType!.FullName}.{property.Name}");
            var description = XmlDocs.Paragraphs(doc?.Element("summary"));
            if (description.Count == 0) problems.Add($"{cmdletName} -{property.Name} has no <summary>: it is the parameter's help.");
            var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
                .SelectMany(a => Strings(a.ConstructorArguments)).ToList();
            var validateSet = attributes.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")
                .SelectMany(a => Strings(a.ConstructorArguments)).ToList();
            // Nullable.GetUnderlyingType compares with the runtime's Nullable<>, not this context's.
            var valueType = property.PropertyType is { IsGenericType: true } g && g.GetGenericTypeDefinition().FullName == "System.Nullable`1"
                ? g.GenericTypeArguments[0] : property.PropertyType;
            var allowed = validateSet.Count > 0 ? validateSet : valueType.IsEnum ? valueType.GetEnumNames().ToList() : [];
            var isSwitch = valueType.FullName == Sma + "SwitchParameter";
            var defaultText = XmlDocs.Paragraphs(doc?.Element("value"));
            result.Add(new ParameterHelp(property.Name, valueType.Name, isSwitch, aliases, description,
                defaultText.Count > 0 ? string.Join(" ", defaultText) : isSwitch ? "False" : null, allowed,
                attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"), sets));
        }
        return result;
    }

    private static IEnumerable<ParameterHelp> ShouldProcessParameters()
    {
        var all = new Dictionary<string, SetBinding> { [AllSets] = new(null, false, false, false) };
        yield return new ParameterHelp("WhatIf", "SwitchParameter", true, ["wi"],
            ["Shows what would happen if the cmdlet runs. The cmdlet is not run."], "False", [], false, all);
        yield return new ParameterHelp("Confirm", "SwitchParameter", true, ["cf"],
            ["Prompts you for confirmation before running the cmdlet."], "False", [], false, all);
    }

    private static XElement ParameterElement(ParameterHelp p, SetBinding binding)
    {
        var pipeline = (binding.ByValue, binding.ByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        var element = new XElement(Command + "parameter",
            new XAttribute("required", binding.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", binding.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name),
            Description(p.Description));
        if (p.AllowedValues.Count > 0)
            element.Add(new XElement(Command + "parameterValueGroup", p.AllowedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        if (!p.IsSwitch)
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.TypeName));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.TypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", p.DefaultValue ?? "None"));
        return element;
    }

    private static IEnumerable<XElement> InputTypes(IEnumerable<ParameterHelp> parameters)
    {
        foreach (var p in parameters)
        {
            var bindings = p.Sets.Values.ToList();
            if (bindings.Any(b => b.ByValue))
                yield return InputType(p.TypeName.TrimEnd('[', ']'), $"Objects piped to -{p.Name}.");
            if (bindings.Any(b => b.ByPropertyName))
            {
                var names = string.Join(", ", p.Aliases.Prepend(p.Name));
                yield return InputType("System.Management.Automation.PSObject",
                    $"Any object with one of these properties: {names} (for example FileInfo objects from Get-ChildItem) binds to -{p.Name}.");
            }
        }
    }

    private static XElement InputType(string name, string description) => new(Command + "inputType",
        new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri")), Description([description]));

    private static IEnumerable<string> OutputTypes(Type type) =>
        type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items : [arg])
            .Select(arg => arg.Value is Type t ? t.FullName! : arg.Value?.ToString() ?? "")
            .Where(n => n.Length > 0)
            .Distinct();

    private static XElement ExampleElement(XElement example, int number, string cmdletName, List<string> problems)
    {
        var code = example.Element("code")?.Value.Trim() ?? "";
        if (code.Length == 0) problems.Add($"{cmdletName} example {number} has no <code>.");
        var before = example.Element("code")?.ElementsBeforeSelf("para").ToList() ?? [];
        var after = example.Element("code")?.ElementsAfterSelf("para").ToList() ?? [];
        var title = before.Count > 0 ? XmlDocs.Text(before[0]) : "";
        var heading = title.Length > 0 ? $"Example {number}: {title}" : $"Example {number}";
        return new XElement(Command + "example",
            new XElement(Maml + "title", $"--------- {heading} ---------"),
            new XElement(Dev + "code", string.Join("\n", code.Split('\n').Select((l, i) => (i == 0 ? "PS> " : "") + l.Trim()))),
            new XElement(Dev + "remarks", after.Select(p => new XElement(Maml + "para", XmlDocs.Text(p)))));
    }

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p)));

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static object? Named(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
            if (argument.MemberName == name) return argument.TypedValue.Value;
        return null;
    }

    private static IEnumerable<string> Strings(IEnumerable<CustomAttributeTypedArgument> arguments) =>
        arguments.SelectMany(a => a.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => (string)i.Value!) : [(string)a.Value!]);
}

/// <summary>The compiler's XML documentation file, with doc markup turned into plain help text.</summary>
internal sealed class XmlDocs(Dictionary<string, XElement> members)
{
    public static XmlDocs Load(string path) => new(XDocument.Load(path).Descendants("member")
        .Where(m => m.Attribute("name") is not null)
        .ToDictionary(m => m.Attribute("name")!.Value, m => m, StringComparer.Ordinal));

    public XElement? Member(string id) => members.GetValueOrDefault(id);

    /// <summary>The paragraphs of an element: each &lt;para&gt;, or the element's own text when it has none.</summary>
    public static List<string> Paragraphs(XElement? element)
    {
        if (element is null) return [];
        var paras = element.Elements("para").Select(Text).Where(t => t.Length > 0).ToList();
        if (paras.Count > 0) return paras;
        var text = Text(element);
        return text.Length > 0 ? [text] : [];
    }

    /// <summary>Plain text: &lt;c&gt; and &lt;paramref&gt; kept as words, &lt;see cref&gt; as the short name.</summary>
    public static string Text(XElement element)
    {
        var parts = element.Nodes().Select(node => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("cref") is { } cref ? ShortName(cref.Value)
                : see.Attribute("langword")?.Value ?? see.Value,
            XElement { Name.LocalName: "paramref" or "typeparamref" } r => "-" + r.Attribute("name")?.Value,
            XElement e => Text(e),
            _ => "",
        });
        return Regex.Replace(string.Concat(parts), @"\s+", " ").Trim();
    }

    private static string ShortName(string cref)
    {
        var name = cref.Contains(':', StringComparison.Ordinal) ? cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
