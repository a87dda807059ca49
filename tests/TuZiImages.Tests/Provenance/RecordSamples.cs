using System;
using System.Collections.Generic;
using System.IO;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;

namespace TuZiImages.Tests.Provenance;

/// <summary>A record with every kind of field, and saving a fixture through the real session as the client saves an answer.</summary>
internal static class RecordSamples
{
    public const string Prompt = "a red fox in the snow, watercolour: \"dawn\" & <mist>\r\nsecond line, 雪";
    public static readonly DateTimeOffset Created = new(2026, 12, 6, 5, 6, 7, TimeSpan.FromHours(8));

    public static ImageRecord Record(string? referenceFile = null)
    {
        var request = new GenerationRequest { Prompt = Prompt, Model = "gemini-3-pro-image-preview", Size = "16x9", Quality = "2k" };
        request[BodyFields.Background] = "transparent";
        request[BodyFields.OutputCompression] = 80;
        request.AdditionalFields["seed"] = 42;
        request.AdditionalFields["watermark"] = false;
        request.AdditionalFields["label"] = "42";
        request.AdditionalFields["style preset"] = "a, b: c";
        request.AdditionalFields["extra"] = new Dictionary<string, object?> { ["depth"] = 2, ["tags"] = new List<object?> { "x", 1 } };
        request.GivenParameters["AspectRatio"] = "16:9";
        request.GivenParameters["Quality"] = "2k";
        if (referenceFile is not null)
        {
            request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(referenceFile)));
        }
        request.ReferenceImages.Add(ReferenceImage.FromUrl("https://user:secret@images.example.test/refs/cat.png?sig=abc"));
        return ImageRecord.ForRequest(request, "gemini-3-pro-image-preview", "Generate", new Uri("https://user:pw@api.example.test:8443/v1?key=abc"), t => t)
            .ForImage("a red fox, revised", Created, "req_123", "task_456");
    }

    /// <summary>Writes the bytes under a hidden name and commits them with the record, as an answer's image is.</summary>
    public static (string Path, PendingFile File) Save(string folder, byte[] bytes, MetadataMode mode, ImageRecord? record, string stem = "fox",
        bool overwrite = false)
    {
        var options = SaveOptions.ToDirectory(folder, stem);
        options.Metadata = mode;
        options.Overwrite = overwrite;
        using var session = new SaveSession(options, DateTime.Now);
        var file = session.CreatePending();
        file.Stream.Write(bytes);
        SaveSession.Finish(file, bytes.AsSpan(0, Math.Min(bytes.Length, ImageFormat.SniffLength)));
        string path = session.Commit(file, 0, 1, record);
        return (path, file);
    }

    public static (string Path, PendingFile File) SaveFixture(string folder, string fixture, MetadataMode mode = MetadataMode.Embed) =>
        Save(folder, File.ReadAllBytes(ImageBytes.Fixture(fixture)), mode, Record(ImageBytes.Fixture("image.png")));
}
