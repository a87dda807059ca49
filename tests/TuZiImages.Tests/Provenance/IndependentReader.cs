using System.Collections.Generic;
using System.Linq;
using MetadataExtractor;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.Xmp;
using XmpCore;

namespace TuZiImages.Tests.Provenance;

/// <summary>What MetadataExtractor (an independent reader, as image tools use it) finds in a file.</summary>
internal sealed class IndependentReader
{
    public const string Tuzi = "https://github.com/tuzi-images/TuZiImages/ns/1.0/";
    public const string Body = Tuzi + "body/";
    public const string Given = Tuzi + "given/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";
    private const string XmpBasic = "http://ns.adobe.com/xap/1.0/";

    private IndependentReader(IReadOnlyList<Directory> directories) => Directories = directories;

    public IReadOnlyList<Directory> Directories { get; }

    public static IndependentReader Of(string path) => new(ImageMetadataReader.ReadMetadata(path));

    /// <summary>The one XMP packet; the test fails when there is none or more than one.</summary>
    public IXmpMeta Xmp => Assert.Single(Directories.OfType<XmpDirectory>()).XmpMeta!;

    public string? Description => Xmp.GetLocalizedText(Dc, "description", "", "x-default")?.Value;

    public string? Title => Xmp.GetLocalizedText(Dc, "title", "", "x-default")?.Value;

    public string? CreatorTool => Xmp.GetPropertyString(XmpBasic, "CreatorTool");

    public string? CreateDate => Xmp.GetPropertyString(XmpBasic, "CreateDate");

    public string? Own(string name) => Xmp.GetPropertyString(Tuzi, name);

    public string? Field(string name) => Xmp.GetPropertyString(Body, System.Xml.XmlConvert.EncodeLocalName(name));

    public string? GivenParameter(string name) => Xmp.GetPropertyString(Given, name);

    public List<(string? Role, string? Name, string? Sha256)> Inputs()
    {
        int count = Xmp.CountArrayItems(Tuzi, "Inputs");
        return Enumerable.Range(1, count).Select(i => (
            Xmp.GetStructField(Tuzi, $"Inputs[{i}]", Tuzi, "Role")?.Value,
            Xmp.GetStructField(Tuzi, $"Inputs[{i}]", Tuzi, "Name")?.Value,
            Xmp.GetStructField(Tuzi, $"Inputs[{i}]", Tuzi, "Sha256")?.Value)).ToList();
    }

    /// <summary>PNG text chunks by keyword.</summary>
    public Dictionary<string, string> PngTexts() =>
        Directories.OfType<PngDirectory>()
            .Where(d => d.ContainsTag(PngDirectory.TagTextualData))
            .SelectMany(d => (IEnumerable<MetadataExtractor.KeyValuePair>)d.GetObject(PngDirectory.TagTextualData)!)
            .ToDictionary(p => p.Key, p => p.Value.ToString(System.Text.Encoding.UTF8));

}
