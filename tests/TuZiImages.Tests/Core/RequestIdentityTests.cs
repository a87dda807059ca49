using System.Collections.Generic;
using System.IO;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// -SkipExisting finds files saved by earlier versions by the hash in their names: these hashes were computed by the
/// version before the field table, and must never change for the same request.
/// </summary>
public class RequestIdentityTests
{
    private const string DefaultModel = "gemini-3-pro-image-preview";

    [Fact]
    public void A_bare_generation_keeps_its_hash()
    {
        var request = new GenerationRequest { Prompt = "a red fox" };

        Assert.Equal("9cb3e780", request.IdentityHash(DefaultModel));
    }

    [Fact]
    public void A_gemini_generation_with_ratio_and_quality_keeps_its_hash()
    {
        var request = new GenerationRequest { Prompt = "一只狐狸 in the snow", Size = "16x9", Quality = "4k", Count = 2 };

        Assert.Equal("bf3f66e5", request.IdentityHash(DefaultModel));
    }

    [Fact]
    public void A_generation_with_every_field_keeps_its_hash_and_transport_fields_do_not_count()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.Combine("ref.jpg"), TestImages.JpegHeader(40, 30));
        GenerationRequest Make()
        {
            var request = new GenerationRequest
            {
                Prompt = "a sticker of a fox", Model = "gpt-image-1", Count = 3, Size = "1024x1536", Quality = "high",
                [BodyFields.Background] = "transparent", [BodyFields.OutputFormat] = "webp", [BodyFields.OutputCompression] = 80, [BodyFields.Style] = "vivid", [BodyFields.Moderation] = "low",
            };
            request.AdditionalFields["seed"] = 42;
            request.AdditionalFields["zeta"] = "last";
            request.AdditionalFields["alpha"] = new List<object?> { "a", 1, true };
            request.ReferenceImages.Add(ReferenceImage.FromUrl("https://example.com/ref.png"));
            request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(folder.Combine("ref.jpg"))));
            return request;
        }

        var plain = Make();
        var withTransport = Make();
        withTransport[BodyFields.ResponseFormat] = "b64_json";
        withTransport[BodyFields.User] = "someone";
        withTransport.PartialImages = 2;

        Assert.Equal("d263478e", plain.IdentityHash(DefaultModel));
        Assert.Equal("d263478e", withTransport.IdentityHash(DefaultModel));
    }

    [Fact]
    public void An_edit_with_every_field_keeps_its_hash()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.Combine("one.jpg"), TestImages.JpegHeader(40, 30));
        File.WriteAllBytes(folder.Combine("two.jpg"), TestImages.JpegHeader(50, 30));
        File.WriteAllBytes(folder.Combine("mask.jpg"), TestImages.JpegHeader(40, 20));
        var request = new EditRequest
        {
            Prompt = "keep the face", Model = "gpt-image-1", Size = "1024x1024", Quality = "medium",
            [BodyFields.Background] = "opaque", [BodyFields.OutputFormat] = "png", [BodyFields.OutputCompression] = 0, [BodyFields.InputFidelity] = "high",
            Mask = InputImage.FromFile(folder.Combine("mask.jpg")),
        };
        request.Images.Add(InputImage.FromFile(folder.Combine("one.jpg")));
        request.Images.Add(InputImage.FromFile(folder.Combine("two.jpg")));
        request.AdditionalFields["strength"] = 0.25;

        Assert.Equal("f56841c1", request.IdentityHash(DefaultModel));
    }

    [Fact]
    public void A_bare_edit_keeps_its_hash()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.Combine("in.jpg"), TestImages.JpegHeader(40, 30));
        var request = new EditRequest { Prompt = "make it black and white" };
        request.Images.Add(InputImage.FromFile(folder.Combine("in.jpg")));

        Assert.Equal("4c3d4131", request.IdentityHash("gpt-image-1"));
    }
}
