using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// The record as XMP, where other tools read it: dc:description (the prompt), xmp:CreatorTool, xmp:CreateDate, and
/// the module's own namespaces, one property per field, so that a program reads every value back as it was.
/// </summary>
internal static class XmpRecord
{
    /// <summary>The module's properties: operation, revised prompt, ids, times, service, inputs.</summary>
    public const string RecordNamespace = "https://github.com/tuzi-images/TuZiImages/ns/1.0/";
    /// <summary>One property per body field that decided the image, named as on the wire.</summary>
    public const string FieldNamespace = RecordNamespace + "body/";
    /// <summary>Parameters as given where several made one field (AspectRatio).</summary>
    public const string GivenNamespace = RecordNamespace + "given/";

    /// <summary>Packets past this are not read: a record is a few kilobytes, and reading must stay bounded.</summary>
    public const int MaxPacketChars = 4 * 1024 * 1024;

    private static readonly XNamespace Meta = "adobe:ns:meta/";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Xmp = "http://ns.adobe.com/xap/1.0/";
    private static readonly XNamespace Tuzi = RecordNamespace;
    private static readonly XNamespace Body = FieldNamespace;
    private static readonly XNamespace Given = GivenNamespace;

    /// <summary>
    /// The packet holding <paramref name="record"/>: the image's own packet with the module's properties added or
    /// replaced and everything else kept, or a new one. Throws <see cref="XmlException"/> or
    /// <see cref="InvalidDataException"/> when the existing packet cannot be read: a second packet is never added.
    /// </summary>
    public static byte[] Write(ImageRecord record, string? existing)
    {
        XDocument document;
        XElement rdf;
        if (existing is null)
        {
            rdf = new XElement(Rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", Rdf.NamespaceName));
            document = new XDocument(new XElement(Meta + "xmpmeta", new XAttribute(XNamespace.Xmlns + "x", Meta.NamespaceName), rdf));
        }
        else
        {
            document = Parse(existing);
            rdf = document.Descendants(Rdf + "RDF").FirstOrDefault() ?? throw new InvalidDataException("its XMP has no rdf:RDF element");
            foreach (var description in rdf.Elements(Rdf + "Description"))
            {
                description.Attributes().Where(a => IsReplaced(a.Name)).Remove();
                description.Elements().Where(e => IsReplaced(e.Name)).Remove();
            }
        }
        string about = (string?)rdf.Elements(Rdf + "Description").FirstOrDefault()?.Attribute(Rdf + "about") ?? "";
        var ours = new XElement(Rdf + "Description", new XAttribute(Rdf + "about", about),
            new XAttribute(XNamespace.Xmlns + "dc", Dc.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "xmp", Xmp.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tuzi", Tuzi.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tuzibody", Body.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tuzigiven", Given.NamespaceName));
        rdf.Add(ours);
        SetDescription(rdf, ours, record.Prompt);
        ours.Add(new XElement(Xmp + "CreatorTool", Text(record.CreatorTool)));
        if (record.Created is { } created)
        {
            ours.Add(new XElement(Xmp + "CreateDate", created.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)));
        }
        ours.Add(new XElement(Tuzi + "Module", Text(record.Tool)));
        Add(ours, Tuzi + "ModuleVersion", record.ToolVersion);
        Add(ours, Tuzi + "Operation", record.Operation);
        Add(ours, Tuzi + "RevisedPrompt", record.RevisedPrompt);
        Add(ours, Tuzi + "RequestId", record.RequestId);
        Add(ours, Tuzi + "TaskId", record.TaskId);
        Add(ours, Tuzi + "Created", record.Created?.ToString("o", CultureInfo.InvariantCulture));
        Add(ours, Tuzi + "Service", record.Service);
        if (record.Inputs.Count > 0)
        {
            ours.Add(new XElement(Tuzi + "Inputs", new XElement(Rdf + "Seq", record.Inputs.Select(input =>
                new XElement(Rdf + "li", new XAttribute(Rdf + "parseType", "Resource"),
                    new XElement(Tuzi + "Role", Text(input.Role)),
                    new XElement(Tuzi + "Name", Text(input.Name)),
                    input.Sha256 is null ? null : new XElement(Tuzi + "Sha256", input.Sha256))))));
        }
        foreach (var field in record.Fields)
        {
            ours.Add(new XElement(Body + XmlConvert.EncodeLocalName(field.Name), Text(RecordValues.ToText(field.Value))));
        }
        foreach (var given in record.Given)
        {
            ours.Add(new XElement(Given + XmlConvert.EncodeLocalName(given.Key), Text(given.Value)));
        }
        return Serialize(document.Root!);
    }

    /// <summary>What a packet says: the module's record when it has one, and the description any tool may have written.</summary>
    public static (ImageRecord? Record, string? Description) Read(string packet)
    {
        var document = Parse(packet);
        var descriptions = document.Descendants(Rdf + "Description").ToList();
        string? description = Value(descriptions, Dc + "description");
        var properties = descriptions.SelectMany(d => d.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => (a.Name, Value: (string?)a.Value))
            .Concat(d.Elements().Select(e => (e.Name, Value: Simple(e))))).ToList();
        if (!properties.Any(p => p.Name.Namespace == Tuzi))
        {
            return (null, description);
        }
        string? Own(string name) => properties.FirstOrDefault(p => p.Name == Tuzi + name).Value;
        var inputs = descriptions.Elements(Tuzi + "Inputs").Elements(Rdf + "Seq").Elements(Rdf + "li")
            .Select(li => new RecordedInput(Child(li, "Role") ?? "", Child(li, "Name") ?? "", Child(li, "Sha256")))
            .ToArray();
        var record = new ImageRecord
        {
            Prompt = description ?? "",
            Operation = Own("Operation"),
            RevisedPrompt = Own("RevisedPrompt"),
            RequestId = Own("RequestId"),
            TaskId = Own("TaskId"),
            Created = DateTimeOffset.TryParse(Own("Created"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created) ? created : null,
            Service = Own("Service"),
            Tool = Own("Module") ?? ImageRecord.ToolName,
            ToolVersion = Own("ModuleVersion"),
            Inputs = inputs,
            Fields = properties.Where(p => p.Name.Namespace == Body && p.Value is not null)
                .Select(p => new RecordField(XmlConvert.DecodeName(p.Name.LocalName), RecordValues.FromText(p.Value!))).ToArray(),
            Given = properties.Where(p => p.Name.Namespace == Given && p.Value is not null)
                .Select(p => new KeyValuePair<string, string>(XmlConvert.DecodeName(p.Name.LocalName), p.Value!)).ToArray(),
        };
        return (record, description);
    }

    private static string? Child(XElement item, string name) => (string?)item.Element(Tuzi + name) ?? (string?)item.Attribute(Tuzi + name);

    /// <summary>The module writes these; other properties of an existing packet stay as they were.</summary>
    private static bool IsReplaced(XName name) =>
        name.Namespace == Tuzi || name.Namespace == Body || name.Namespace == Given || name == Xmp + "CreatorTool" || name == Xmp + "CreateDate";

    /// <summary>The prompt as dc:description's default language; other languages an existing packet has stay.</summary>
    private static void SetDescription(XElement rdf, XElement ours, string prompt)
    {
        var alternatives = rdf.Elements(Rdf + "Description").Elements(Dc + "description").Elements(Rdf + "Alt").FirstOrDefault();
        foreach (var description in rdf.Elements(Rdf + "Description"))
        {
            description.Attributes(Dc + "description").Remove();
        }
        if (alternatives is null)
        {
            rdf.Elements(Rdf + "Description").Elements(Dc + "description").Remove();
            alternatives = new XElement(Rdf + "Alt");
            ours.Add(new XElement(Dc + "description", alternatives));
        }
        alternatives.Elements(Rdf + "li").Where(li => (string?)li.Attribute(XNamespace.Xml + "lang") == "x-default").Remove();
        alternatives.AddFirst(new XElement(Rdf + "li", new XAttribute(XNamespace.Xml + "lang", "x-default"), Text(prompt)));
    }

    private static void Add(XElement description, XName name, string? value)
    {
        if (value is not null)
        {
            description.Add(new XElement(name, Text(value)));
        }
    }

    /// <summary>A simple property's text; a language alternative's default (or first) entry; null for a structure.</summary>
    private static string? Simple(XElement property)
    {
        if (!property.HasElements)
        {
            return property.Value;
        }
        var items = property.Elements(Rdf + "Alt").Elements(Rdf + "li").ToList();
        return (string?)(items.FirstOrDefault(li => (string?)li.Attribute(XNamespace.Xml + "lang") == "x-default") ?? items.FirstOrDefault());
    }

    private static string? Value(IEnumerable<XElement> descriptions, XName name) =>
        descriptions.Select(d => (string?)d.Attribute(name) ?? (d.Element(name) is { } e ? Simple(e) : null)).FirstOrDefault(v => v is not null);

    /// <summary>Characters XML 1.0 cannot carry (most control characters) become U+FFFD rather than costing the record.</summary>
    private static string Text(string value)
    {
        StringBuilder? cleaned = null;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pair)
            {
                cleaned?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }
            bool valid = XmlConvert.IsXmlChar(c);
            if (!valid && cleaned is null)
            {
                cleaned = new StringBuilder(value.Length).Append(value, 0, i);
            }
            cleaned?.Append(valid ? c : '\uFFFD');
        }
        return cleaned?.ToString() ?? value;
    }

    private static XDocument Parse(string packet)
    {
        if (packet.Length > MaxPacketChars)
        {
            throw new InvalidDataException($"its XMP is larger than {MaxPacketChars / (1024 * 1024)} MB");
        }
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreProcessingInstructions = true };
        using var reader = XmlReader.Create(new StringReader(packet.TrimStart('\uFEFF', ' ', '\r', '\n', '\t', '\0')), settings);
        return XDocument.Load(reader);
    }

    private static byte[] Serialize(XElement root)
    {
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true, Indent = true, Encoding = new UTF8Encoding(false), NewLineHandling = NewLineHandling.Entitize,
            NewLineChars = "\n",
        };
        using var buffer = new MemoryStream();
        var utf8 = new UTF8Encoding(false);
        byte[] begin = utf8.GetBytes("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
        buffer.Write(begin, 0, begin.Length);
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            root.WriteTo(writer);
        }
        byte[] end = utf8.GetBytes("\n<?xpacket end=\"w\"?>");
        buffer.Write(end, 0, end.Length);
        return buffer.ToArray();
    }
}
