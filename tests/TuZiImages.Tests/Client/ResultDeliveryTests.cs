using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>However the service hands an image back, it ends up as the same kind of result.</summary>
public class ResultDeliveryTests
{
    private static GenerationRequest Fox(string? format = null) => new() { Prompt = "a red fox", [BodyFields.ResponseFormat] = format };

    [Fact]
    public async Task Url_results_are_downloaded_without_the_key_even_through_a_redirect()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { RedirectResult = true });

        var response = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a red fox", Count = 2 }, h.SaveHere());

        Assert.Equal(2, response.Images.Count);
        Assert.All(response.Images, i =>
        {
            Assert.StartsWith(h.Server.ResultBaseAddress.ToString(), i.Url);
            Assert.True(File.Exists(i.FullName));
            Assert.Equal((1024, 1024), (i.Width, i.Height));
        });
        Assert.Equal(4, h.Server.Downloads.Count); // each image: the redirect, then the file
        Assert.Contains(h.Server.Downloads, d => d.Path.StartsWith("/redirect/"));
        Assert.All(h.Server.Downloads, d => Assert.Null(d.Header("Authorization")));
    }

    [Fact]
    public async Task Url_results_stay_urls_when_downloading_is_off()
    {
        await using var h = await ClientHarness.StartAsync();
        var save = h.SaveHere();
        save.DownloadUrls = false;

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), save)).Images);

        Assert.NotNull(image.Url);
        Assert.Null(image.FullName);
        Assert.Null(image.PSPath);
        Assert.Empty(h.Server.Downloads);
        Assert.Empty(h.Folder.FileNames());
        Assert.Equal(image.Url, image.ToString());
    }

    [Theory]
    [InlineData("data", false, false)]
    [InlineData("base64", false, false)]
    [InlineData("url", true, false)]
    [InlineData("url", false, true)]
    public async Task Bytes_are_saved_whether_they_come_as_b64_json_a_data_url_or_bare_base64(string urlAs, bool forceB64, bool escapeSlashes)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { UrlAs = urlAs, ForceB64 = forceB64, EscapeSlashes = escapeSlashes, Format = "jpeg" });
        var save = h.SaveHere("fox");
        save.DownloadUrls = false; // bytes are saved regardless: base64 is never handed back as text

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(escapeSlashes ? "b64_json" : null), save)).Images);

        Assert.Null(image.Url);
        Assert.Equal(h.Folder.Combine("fox.jpg"), image.FullName);
        Assert.Equal("image/jpeg", image.ContentType);
        Assert.Equal((1024, 1024), (image.Width, image.Height));
        Assert.Empty(h.Server.Downloads);
        Assert.Equal(new[] { "fox.jpg" }, h.Folder.FileNames());
    }

    [Fact]
    public async Task Large_images_arrive_whole()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { PayloadBytes = 3 * 1024 * 1024 });

        var response = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "noise", Count = 2, [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        Assert.All(response.Images, i => Assert.InRange(i.Length!.Value, 3_000_000, 3_400_000));
        Assert.Single(response.Images.Select(i => ClientHarness.Sha256(i.FullName!)).Distinct());
    }

    [Fact]
    public async Task The_result_object_pipes_on_like_a_file()
    {
        await using var h = await ClientHarness.StartAsync();

        var image = Assert.Single((await h.Client().GenerateAsync(Fox("b64_json"), h.SaveHere("fox"))).Images);

        Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + image.FullName, image.PSPath);
        Assert.Equal(Path.GetFileName(image.FullName), image.Name);
        Assert.Equal(image.FullName, image.ToString());
        Assert.Null(typeof(TuZiImageResult).GetProperty("Path"));
        Assert.NotNull(image.Created);
        Assert.Equal(1, image.Attempts);
    }

    [Fact]
    public async Task Requests_at_the_same_time_each_keep_their_own_files()
    {
        await using var h = await ClientHarness.StartAsync();
        var client = h.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            client.GenerateAsync(new GenerationRequest { Prompt = "same prompt", Count = 2, [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere("same"))));

        var names = responses.SelectMany(r => r.Images).Select(i => i.FullName).ToArray();
        Assert.Equal(24, names.Distinct().Count());
        Assert.Equal(24, h.Folder.FileNames().Length);
    }

    [Fact]
    public async Task An_existing_output_file_stops_the_request_before_it_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        string existing = h.Folder.Combine("keep.png");
        File.WriteAllText(existing, "mine");

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(Fox("b64_json"), SaveOptions.ToFile(existing)));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains(existing, e.Message);
        Assert.Empty(h.Server.Requests);
        Assert.Equal("mine", File.ReadAllText(existing));
    }
}
