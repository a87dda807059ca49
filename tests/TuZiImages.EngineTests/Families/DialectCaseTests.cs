using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Families;

/// <summary>The cases of the dialect issue (#23) one by one, as a new user would meet them: what goes on the wire, what is refused and why.</summary>
[Trait("Category", "Engine")]
public sealed class DialectCaseTests
{
    [Fact]
    public async Task Gpt_image_reference_files_go_to_the_edits_endpoint_as_image_parts()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ref1.png", shade: 1);
        engine.WritePng("ref2.png", shade: 2);

        var run = engine.Run("Get-TestChildItem ref*.png | New-TuZiImage -Prompt 'a poster in this style' -Model gpt-image-1 -AspectRatio 3:2");

        run.ThrowIfFailed();
        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal("/v1/images/edits", sent.Path);
        Assert.Equal(new[] { "image", "image" }, sent.Files.Select(f => f.FieldName));
        Assert.Equal(new[] { "ref1.png", "ref2.png" }, sent.Files.Select(f => f.FileName));
        Assert.Equal("1536x1024", sent.Field("size"));
        Assert.Equal(new[] { engine.Folder.Combine("ref1.png"), engine.Folder.Combine("ref2.png") }, Assert.Single(run.Results).Prop<string[]>("InputImages"));
    }

    [Fact]
    public async Task Flux_takes_the_ratio_as_aspect_ratio_and_no_size_and_makes_that_shape()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a fox' -Model flux-kontext-pro -AspectRatio 16:9 -Seed 7 -OutputFormat png -ResponseFormat b64_json; New-TuZiImage 'a cat' -Model bfl-flux-2-max -Size 1920x1080 -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.All(engine.Server.Requests, sent =>
        {
            Assert.Equal("16:9", sent.Field("aspect_ratio"));
            Assert.Null(sent.Field("size"));
        });
        using (var body = JsonDocument.Parse(engine.Server.Requests[0].Json!))
        {
            Assert.Equal(JsonValueKind.Number, body.RootElement.GetProperty("seed").ValueKind);
        }
        Assert.All(run.Results, r =>
        {
            Assert.Equal((1024, 576), (r.Prop<int>("Width"), r.Prop<int>("Height")));
            Assert.Equal("16:9", r.Prop<string>("RequestedSize"));
            Assert.False(r.Prop<bool>("SizeMismatch"));
        });
    }

    [Theory]
    [InlineData("New-TuZiImage 'a fox' -Model flux-kontext-pro -ReferenceImage ref.png", "only as http(s) URLs at the start of the prompt", "ref.png")]
    [InlineData("Edit-TuZiImage 'a fox' ref.png -Model flux-kontext-max", "only as http(s) URLs at the start of the prompt", "ref.png")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-1 -ReferenceImage https://images.example/a.png", "as files sent to POST /v1/images/edits, not URLs", "https://images.example/a.png")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview-async -ReferenceImage https://images.example/a.png", "as files sent to POST /v1/videos, not URLs", "https://images.example/a.png")]
    public async Task A_reference_the_familys_route_cannot_carry_is_refused_before_sending(string command, string message, string reference)
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ref.png");

        var run = engine.Run(command);

        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TuZiImages.InvalidInput,", error.FullyQualifiedErrorId);
        Assert.Contains(message, error.ErrorDetails.Message);
        Assert.Contains(reference, error.ErrorDetails.Message);
        // The request's error names its prompt, whichever input was bad (issue 26): the message names the input.
        Assert.Equal("a fox", error.TargetObject);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task A_flux_reference_url_goes_at_the_start_of_the_prompt()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'put a hat on the cat' -Model flux-kontext-pro -ReferenceImage https://images.example/cat.png, https://images.example/hat.png -WhatIf; New-TuZiImage 'put a hat on the cat' -Model flux-kontext-pro -ReferenceImage https://images.example/cat.png, https://images.example/hat.png");

        run.ThrowIfFailed();
        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal("https://images.example/cat.png https://images.example/hat.png put a hat on the cat", sent.Field("prompt"));
        Assert.Null(sent.Field("image"));
        Assert.Contains("prompt 'https://images.example/cat.png https://images.example/hat.png put a hat on the cat'", engine.HostUI.Text);
    }

    [Fact]
    public async Task A_newer_gpt_image_is_not_refused_a_quality_its_family_does_not_list_and_verbose_names_the_family()
    {
        await using var engine = await EngineSession.StartAsync();

        var newer = engine.Run("New-TuZiImage 'a fox' -Model gpt-image-2.5 -Quality xhigh -AspectRatio 16:9 -Verbose");
        var known = engine.Run("New-TuZiImage 'a fox' -Model gpt-image-2 -Quality xhigh");

        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal("xhigh", sent.Field("quality"));
        Assert.Equal("1088x608", sent.Field("size")); // gpt-image-2's pixels from the ratio
        Assert.Contains(newer.Verbose, v => v.Contains("gpt-image-2.5 is not in the model table") && v.Contains("resembles gpt-image-2"));
        Assert.Contains("does not take -Quality 'xhigh'", Assert.Single(known.Errors).ErrorDetails.Message);
    }

    [Theory]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview -Background transparent", "takes no -Background", "gpt-image-1")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview -AspectRatio 7:3", "does not take the aspect ratio '7:3'", "1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-1.5 -AspectRatio 16:9", "does not take the aspect ratio '16:9'", "1:1, 3:2, 2:3")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-2 -Size 3840x2176", "655,360 to 8,294,400 pixels", "-AspectRatio")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-1 -Seed 42", "takes no -Seed", "Seedream 4.5")]
    [InlineData("New-TuZiImage 'a fox' -Model dall-e-3 -Seed 42", "takes no -Seed", "FLUX")]
    [InlineData("New-TuZiImage 'a fox' -Model flux-kontext-pro -OutputFormat webp", "does not take -OutputFormat 'webp'", "jpeg, png")]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seededit-3-0-i2i-250628", "was removed by the service", "doubao-seedream-4-5-251128")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview-4k-async -Background transparent -Style vivid", "POST /v1/videos, which takes no -Style", "dall-e-3")]
    [InlineData("New-TuZiImage 'a fox' -Model mj-imagine -OutputFormat png", "POST /v1/videos, which takes no -OutputFormat", "FLUX")]
    public async Task What_a_listed_model_does_not_take_is_refused_naming_what_does(string command, string message, string named)
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run(command);

        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TuZiImages.InvalidInput,", error.FullyQualifiedErrorId);
        Assert.Contains(message, error.ErrorDetails.Message);
        Assert.Contains(named, error.ErrorDetails.Message + " " + error.ErrorDetails.RecommendedAction);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task An_image_over_the_familys_byte_limit_is_refused_before_upload_naming_the_limit()
    {
        await using var engine = await EngineSession.StartAsync();
        // 51 MB that take no time to write: a PNG header, then a hole.
        string big = engine.WritePng("big.png");
        using (var file = new FileStream(big, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(51L * 1024 * 1024);
        }
        engine.WritePng("small.png");

        var run = engine.Run("Edit-TuZiImage 'merge' small.png, big.png -Model gpt-image-1");

        var error = Assert.Single(run.Errors);
        Assert.Contains("'big.png' is 51.0 MB", error.ErrorDetails.Message);
        Assert.Contains("at most 50.0 MB", error.ErrorDetails.Message);
        Assert.Equal("merge", error.TargetObject);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task The_seed_goes_where_the_family_takes_it_and_is_part_of_the_requests_identity()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -Seed 1 -OutDirectory out -ResponseFormat b64_json
            New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -Seed 2 -OutDirectory out -ResponseFormat b64_json
            New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -Seed 1 -OutDirectory out -ResponseFormat b64_json -SkipExisting
            New-TuZiImage 'a fox' -Model some-new-model -Seed 3 -ResponseFormat b64_json -Verbose
            """);

        run.ThrowIfFailed();
        Assert.Equal(new[] { "1", "2", "3" }, engine.Server.Requests.Select(r => r.Field("seed")));
        var names = run.Results.Take(3).Select(r => Path.GetFileName(r.Prop<string>("FullName"))).ToArray();
        Assert.NotEqual(names[0], names[1]);
        Assert.Equal(names[0], names[2]);
        Assert.True(run.Results[2].Prop<bool>("Skipped"));
        Assert.Contains(run.Verbose, v => v.Contains("some-new-model is of no family in the model table"));
    }
}
