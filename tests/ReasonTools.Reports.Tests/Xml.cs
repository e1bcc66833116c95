using System.Xml;
using System.Xml.Linq;

namespace ReasonTools.Reports.Tests;

/// <summary>Parses the views' XHTML-compatible output, so malformed markup fails a test.</summary>
internal static class Xml
{
    public static XElement Fragment(string markup) => XElement.Parse(markup);

    public static XDocument Document(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IEnumerable<XElement> All(this XContainer root, string localName) =>
        root.Descendants().Where(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> WithClass(this XContainer root, string cssClass) =>
        root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    /// <summary>No element or attribute that injected markup could have created.</summary>
    public static void AssertNothingInjected(XContainer root)
    {
        Assert.Empty(root.All("script"));
        var elements = root is XElement self ? self.DescendantsAndSelf() : root.Descendants();
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes()), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
    }
}
