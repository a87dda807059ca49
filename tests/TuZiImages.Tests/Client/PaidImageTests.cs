using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// An image is paid for before its bytes arrive: whatever else the answer holds, a readable image is saved with
/// exactly its bytes, and one that cannot be read is an error, never a wrong file.
/// </summary>
public class PaidImageTests
{
    private static GenerationRequest Fox(string? format = "b64_json") => new() { Prompt = "a red fox", [BodyFields.ResponseFormat] = format };

    [Fact]
    public async Task A_space_anywhere_in_b64_json_still_saves_the_exact_image()
    {
        await using var h = await ClientHarness.StartAsync();
        var png = TestImages.Png(3, 2);
        string b64 = Convert.ToBase64String(png);
        var client = h.Client();

        for (int at = 0; at <= b64.Length; at++)
        {
            h.Server.EnqueueFault(new FaultSpec { Body = $"{{\"created\":1700000000,\"data\":[{{\"b64_json\":\"{b64.Insert(at, " ")}\"}}]}}" });

            var image = Assert.Single((await client.GenerateAsync(Fox(), h.SaveHere("at-" + at))).Images);

            Assert.True(png.AsSpan().SequenceEqual(File.ReadAllBytes(image.FullName!)), $"a space at {at} of {b64.Length}");
        }
        Assert.Equal(b64.Length + 1, h.Folder.FileNames().Length);
    }

    [Theory]
    [InlineData(null, true, 76, null)]
    [InlineData("base64", false, 64, "\\n")]
    [InlineData("data", false, 76, "\\r\\n")]
    [InlineData(null, true, 5, " ")]
    [InlineData("base64", false, 3, "\\n ")]
    public async Task Whitespace_wrapped_base64_is_saved_as_the_bytes_the_server_sent(string? urlAs, bool forceB64, int lineLength, string? lineBreak)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { UrlAs = urlAs, ForceB64 = forceB64, WrapBase64 = lineLength, WrapBase64With = lineBreak, Times = 0 });
        var save = h.SaveHere("wrapped");
        save.DownloadUrls = false;

        var response = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "wrapped", Count = 2, Size = "40x24" }, save);

        var sent = Assert.Single(h.Server.Requests).ImageSha256;
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent, response.Images.Select(i => ClientHarness.Sha256(i.FullName!)));
        Assert.All(response.Images, i => Assert.Equal((40, 24), (i.Width, i.Height)));
    }

    [Fact]
    public async Task Base64_that_is_not_valid_is_an_error_and_leaves_no_file()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { BadBase64 = true, ForceB64 = true });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(Fox(), h.SaveHere()));

        Assert.Equal(TuZiErrorKind.MalformedResponse, e.Kind);
        Assert.True(e.MayHaveBeenBilled);
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task A_created_in_milliseconds_is_read_as_the_time_it_is()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { CreatedInMilliseconds = true });
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere())).Images);

        Assert.NotNull(image.Created);
        Assert.InRange(image.Created!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(Assert.Single(h.Server.Requests).ImageSha256[0], ClientHarness.Sha256(image.FullName!));
    }

    [Theory]
    [InlineData("1e999999")]
    [InlineData("-1e400")]
    [InlineData("99999999999999999999999")]
    [InlineData("\"soon\"")]
    public async Task A_created_out_of_range_costs_no_image(string created)
    {
        await using var h = await ClientHarness.StartAsync();
        var png = TestImages.Png(5, 5);
        h.Server.EnqueueFault(new FaultSpec { Body = $"{{\"created\":{created},\"data\":[{{\"b64_json\":\"{Convert.ToBase64String(png)}\"}}]}}" });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere("kept"))).Images);

        Assert.Null(image.Created);
        Assert.Equal(png, File.ReadAllBytes(image.FullName!));
        Assert.Equal(new[] { "kept.png" }, h.Folder.FileNames());
    }

    [Theory]
    [InlineData("{\"created\":1700000000,\"data\":[],\"error\":null}")]
    [InlineData("{\"error\":null,\"data\":[]}")]
    [InlineData("{\"created\":1700000000,\"data\":[],\"error\":{\"message\":null,\"type\":null,\"code\":null}}")]
    public async Task An_empty_error_beside_no_image_is_the_no_image_failure(string body)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Body = body });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(Fox(), h.SaveHere()));

        Assert.Equal(TuZiErrorKind.NoImage, e.Kind);
        Assert.Null(e.ServerErrorCode);
    }

    [Fact]
    public async Task A_null_error_code_is_no_code()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Body = "{\"error\":{\"message\":\"model not in group\",\"type\":\"new_api_error\",\"param\":null,\"code\":null}}" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(Fox(), h.SaveHere()));

        Assert.Equal(TuZiErrorKind.BadRequest, e.Kind);
        Assert.Equal("model not in group", e.ServerMessage);
        Assert.Equal("new_api_error", e.ServerErrorType);
        Assert.Null(e.ServerErrorCode);
    }

    [Fact]
    public async Task An_image_beside_an_empty_error_is_saved()
    {
        await using var h = await ClientHarness.StartAsync();
        var png = TestImages.Png(6, 2);
        h.Server.EnqueueFault(new FaultSpec { Body = $"{{\"error\":null,\"created\":1700000000000,\"data\":[{{\"b64_json\":\"{Convert.ToBase64String(png, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\\r\\n")}\",\"revised_prompt\":\"a fox\"}}]}}" });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere())).Images);

        Assert.Equal(png, File.ReadAllBytes(image.FullName!));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), image.Created);
        Assert.Equal("a fox", image.RevisedPrompt);
    }
}
