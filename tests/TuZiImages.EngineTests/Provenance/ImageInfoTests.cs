using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;
using TuZiImages.TestServer.Endpoints;
using TuZiImages.Tests.Support;

namespace TuZiImages.EngineTests.Provenance;

/// <summary>The record each saved image carries, through the cmdlets: -Metadata, Get-TuZiImageInfo, and piping a record back into New-TuZiImage.</summary>
[Trait("Category", "Engine")]
public sealed class ImageInfoTests
{
    private const string InfoType = "TuZiImages.Core.TuZiImageInfo";

    private static string Sha256(EngineSession engine, string path) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(engine.Folder.Combine(path)))).ToLowerInvariant();

    [Fact]
    public async Task A_saved_image_reads_back_with_properties_named_like_New_TuZiImages_parameters()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            New-TuZiImage 'a red fox' -Model gpt-image-1 -AspectRatio 3:2 -Quality high -Background opaque -OutputFormat png `
                -AdditionalParameter @{ style_preset = 'ink'; steps = 30 } -OutDirectory out | Get-TuZiImageInfo
            """).ThrowIfFailed();

        var info = Assert.Single(run.OutputOf(InfoType));
        var request = Assert.Single(engine.Server.Requests);
        Assert.Equal("Embedded", info.Prop<string>("RecordSource"));
        Assert.Equal(info.Prop<string>("ImagePath"), info.Prop<string>("RecordPath"));
        Assert.Equal("a red fox", info.Prop<string>("Prompt"));
        Assert.Equal("gpt-image-1", info.Prop<string>("Model"));
        Assert.Equal("3:2", info.Prop<string>("AspectRatio"));
        Assert.Null(info.Prop("Size"));
        Assert.Equal("high", info.Prop<string>("Quality"));
        // Each recorded parameter is a property of its own, and the record's fields keep their types.
        Assert.Equal("opaque", info.Prop<string>("Background"));
        Assert.Equal("png", info.Prop<string>("OutputFormat"));
        var additional = (IDictionary)info.Prop("AdditionalParameter")!;
        Assert.Equal(30, additional["steps"]);
        Assert.Equal("ink", additional["style_preset"]);
        Assert.Equal("1536x1024", ((IDictionary)info.Prop("Fields")!)["size"]);
        Assert.Equal(request.ResponseRequestId, info.Prop<string>("RequestId"));
        Assert.Equal($"127.0.0.1:{engine.Server.ApiBaseAddress.Port}", info.Prop<string>("Service"));
        Assert.StartsWith("TuZiImages ", info.Prop<string>("CreatorTool"));
        Assert.NotNull(info.Prop("Created"));
        Assert.False(info.Prop<bool>("HasContentCredentials"));
    }

    [Fact]
    public async Task Piped_into_New_TuZiImage_the_records_make_the_same_requests_again_with_another_model()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Run("""
            New-TuZiImage 'a red fox' -AspectRatio 16:9 -Quality 2k -OutDirectory out
            New-TuZiImage 'a blue whale' -Model gpt-image-1 -Size 1024x1536 -Background transparent -OutputFormat png -Count 2 -OutDirectory out
            New-TuZiImage 'a heron' -AdditionalParameter @{ style_preset = 'ink'; steps = 30 } -OutDirectory out
            """).ThrowIfFailed();

        var run = engine.Run("Get-TestChildItem out/*.png | Get-TuZiImageInfo | New-TuZiImage -Model gpt-image-2 -OutDirectory v2").ThrowIfFailed();

        Assert.Equal(4, run.Results.Length);
        var again = engine.Server.Requests.Skip(3).ToList();
        Assert.Equal(4, again.Count);
        Assert.All(again, r => Assert.Equal("gpt-image-2", r.Field("model")));
        // The ratio as given, worked out for the new model: 16:9 at 2k is 2048x1152 for gpt-image-2 (16x9 for Gemini).
        var fox = again.Single(r => r.Field("prompt") == "a red fox");
        Assert.Equal("2048x1152", fox.Field("size"));
        Assert.Equal("high", fox.Field("quality"));
        // Each image of the two-image request is made again on its own, with the settings of its record.
        var whales = again.Where(r => r.Field("prompt") == "a blue whale").ToList();
        Assert.Equal(2, whales.Count);
        Assert.All(whales, w =>
        {
            Assert.Equal("1024x1536", w.Field("size"));
            Assert.Equal("transparent", w.Field("background"));
            Assert.Equal("png", w.Field("output_format"));
            Assert.Null(w.Field("n"));
        });
        var heron = again.Single(r => r.Field("prompt") == "a heron");
        Assert.Equal("ink", heron.Field("style_preset"));
        Assert.Equal("30", heron.Field("steps"));
        // No recorded image went back as a reference of its own remake.
        Assert.All(again, r => Assert.Empty(r.ImageUrls));
        Assert.All(again, r => Assert.Empty(r.Files));
    }

    [Fact]
    public async Task None_saves_the_services_exact_bytes_also_as_a_default_and_Sidecar_leaves_the_image_as_served()
    {
        await using var engine = await EngineSession.StartAsync();

        engine.Run("""
            New-TuZiImage 'as served' -ResponseFormat b64_json -Metadata None -OutDirectory none
            $PSDefaultParameterValues['*-TuZiImage:Metadata'] = 'None'
            New-TuZiImage 'by default' -ResponseFormat b64_json -OutDirectory default
            New-TuZiImage 'beside' -ResponseFormat b64_json -Metadata Sidecar -OutDirectory sidecar
            """).ThrowIfFailed();
        var info = engine.Run("Get-TuZiImageInfo -Path none/*, default/*, sidecar/*.png").ThrowIfFailed().OutputOf(InfoType);

        var requests = engine.Server.Requests;
        var files = engine.FilesOnDisk();
        Assert.Equal(requests[0].ImageSha256.Single(), Sha256(engine, files.Single(f => f.StartsWith("none/"))));
        Assert.Equal(requests[1].ImageSha256.Single(), Sha256(engine, files.Single(f => f.StartsWith("default/"))));
        Assert.Equal(requests[2].ImageSha256.Single(), Sha256(engine, files.Single(f => f.StartsWith("sidecar/") && f.EndsWith(".png"))));
        Assert.Single(files, f => f.StartsWith("sidecar/") && f.EndsWith(".xmp"));
        Assert.Equal(new[] { "None", "None", "Sidecar" }, info.Select(i => i.Prop<string>("RecordSource")));
        Assert.Equal("beside", info[2].Prop<string>("Prompt"));
    }

    [Fact]
    public async Task An_image_with_content_credentials_is_saved_as_served_and_SkipExisting_still_finds_it_beside_its_sidecar()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "signed", ContentCredentials = true, ForceB64 = true });

        var first = engine.Run("New-TuZiImage 'a signed fox' -OutDirectory out -Verbose").ThrowIfFailed();
        var again = engine.Run("New-TuZiImage 'a signed fox' -OutDirectory out -SkipExisting").ThrowIfFailed();

        var result = Assert.Single(first.Results);
        string image = result.Prop<string>("FullName")!;
        Assert.True(result.Prop<bool>("HasContentCredentials"));
        Assert.Equal(engine.Server.Requests.Single().ImageSha256.Single(), Sha256(engine, image));
        Assert.Contains(first.Verbose, v => v.Contains("Content Credentials"));
        Assert.True(File.Exists(Path.ChangeExtension(image, ".xmp")));
        var skipped = Assert.Single(again.Results);
        Assert.True(skipped.Prop<bool>("Skipped"));
        Assert.Equal(image, skipped.Prop<string>("FullName"));
        Assert.True(skipped.Prop<bool>("HasContentCredentials"));
        Assert.Single(engine.Server.Requests);
        Assert.Equal(2, engine.FilesOnDisk().Length);
    }

    [Fact]
    public async Task An_image_the_writer_cannot_walk_is_saved_as_served_with_a_warning()
    {
        await using var engine = await EngineSession.StartAsync();
        byte[] png = TestImages.Png(4, 4);
        string cut = Convert.ToBase64String(png.Concat(new byte[] { 1, 2, 3 }).ToArray());
        engine.Server.EnqueueFault(new FaultSpec { Body = $"{{\"created\":1700000000,\"data\":[{{\"b64_json\":\"{cut}\"}}]}}" });

        var run = engine.Run("New-TuZiImage 'odd bytes' -OutFile odd.png").ThrowIfFailed();

        Assert.Equal(Convert.FromBase64String(cut), File.ReadAllBytes(engine.Folder.Combine("odd.png")));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("could not be written", warning);
        Assert.Contains("after its end", warning);
        Assert.Single(run.Results);
    }

    [Fact]
    public async Task An_async_models_image_records_its_task_and_Receive_writes_the_record_its_journal_kept()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { TaskDurationMs = 100 });
        engine.Server.TaskMode = new TaskMode { DurationMs = 100, Hold = "pending" };
        EngineSession.UseTaskPollInterval(TimeSpan.FromMilliseconds(50));

        var first = engine.Run("New-TuZiImage 'an owl' -Model mj-imagine -AspectRatio 16:9 -OutDirectory out -TaskTimeoutSec 1 -ErrorVariable +pending; $global:pending = $pending");
        Assert.Single(first.Errors);
        engine.Server.Holds.Release("pending");
        var run = engine.Run("$global:pending | Receive-TuZiImage -OutDirectory out | Get-TuZiImageInfo").ThrowIfFailed();

        var info = Assert.Single(run.OutputOf(InfoType));
        Assert.Equal(Assert.Single(engine.Server.Tasks.Snapshot()).Id, info.Prop<string>("TaskId"));
        Assert.Equal("an owl", info.Prop<string>("Prompt"));
        Assert.Equal("16:9", info.Prop<string>("AspectRatio"));
        Assert.Equal("mj-imagine", info.Prop<string>("Model"));
        Assert.Equal("Generate", info.Prop<string>("Operation"));
    }

    [Fact]
    public async Task Files_and_results_pipe_in_a_file_without_a_record_says_so_and_a_bad_file_is_an_error_naming_it()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("plain.png");
        File.WriteAllText(engine.Folder.Combine("notes.png"), "not an image");
        File.WriteAllBytes(engine.Folder.Combine("cut.png"), TestImages.Png(8, 8).Take(40).ToArray());

        var run = engine.Run("""
            Get-TestChildItem *.png | Get-TuZiImageInfo
            Get-TuZiImageInfo -LiteralPath missing.png
            'after the errors'
            """);

        Assert.Null(run.Terminating);
        var info = Assert.Single(run.OutputOf(InfoType));
        Assert.Equal("plain.png", info.Prop<string>("Name"));
        Assert.Equal("None", info.Prop<string>("RecordSource"));
        Assert.False(info.Prop<bool>("HasRecord"));
        Assert.Equal("after the errors", run.Output.Last().BaseObject);
        Assert.Equal(3, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.Equal("TuZiImages.InvalidInput,TuZiImages.Commands.GetTuZiImageInfoCommand", e.FullyQualifiedErrorId));
        Assert.Contains(run.Errors, e => e.ToString().Contains("notes.png") && e.ToString().Contains("is not a PNG, JPEG, WebP or GIF image"));
        Assert.Contains(run.Errors, e => e.ToString().Contains("cut.png") && e.ToString().Contains("damaged"));
        Assert.Contains(run.Errors, e => e.ToString().Contains("missing.png") && e.ToString().Contains("does not exist"));
    }

    [Fact]
    public async Task The_table_shows_where_each_record_was_found_under_headers_that_are_its_properties()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("plain.png");

        engine.Run("""
            $null = New-TuZiImage 'a red fox' -OutFile fox.png
            Get-TuZiImageInfo *.png | Out-Default
            """).ThrowIfFailed();

        string table = System.Text.RegularExpressions.Regex.Replace(engine.HostUI.Text, @"\x1b\[[0-9;]*m", "");
        string[] lines = table.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Equal(new[] { "RecordSource", "Model", "Name", "Prompt" }, lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith("Embedded") && l.Contains("gemini-3-pro-image-preview") && l.Contains("fox.png") && l.EndsWith("a red fox"));
        Assert.Contains(lines, l => l.StartsWith("None") && l.Contains("plain.png"));
    }

    [Fact]
    public async Task Metadata_completes_its_three_words()
    {
        await using var engine = await EngineSession.StartAsync();

        Assert.Equal(new[] { "Embed", "None", "Sidecar" }, engine.Complete("New-TuZiImage x -Metadata ").OrderBy(w => w));
        Assert.Equal(new[] { "Sidecar" }, engine.Complete("Receive-TuZiImage x -Metadata S"));
    }
}
