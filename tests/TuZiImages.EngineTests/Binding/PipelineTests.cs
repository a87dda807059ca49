using System;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.EngineTests.Binding;

/// <summary>What flows between the cmdlets and the objects around them in a pipeline.</summary>
[Trait("Category", "Engine")]
public sealed class PipelineTests
{
    [Fact]
    public async Task The_Unix_FileInfo_Size_property_of_a_piped_file_does_not_bind_to_Size()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ref1.png", 1);
        engine.WritePng("ref2.png", 2);

        var run = engine.Run("""
            (Get-TestChildItem ref1.png).Size
            Get-TestChildItem ref*.png | New-TuZiImage -Prompt 'a poster' -ResponseFormat b64_json
            Get-TestChildItem ref*.png | New-TuZiImage -Prompt 'a wide poster' -AspectRatio 16:9 -ResponseFormat b64_json
            """);

        run.ThrowIfFailed();
        if (!OperatingSystem.IsWindows())
        {
            // The property this guards against is really there: PowerShell adds it to files on Unix.
            Assert.Equal(new System.IO.FileInfo(engine.Folder.Combine("ref1.png")).Length, run.Output[0].BaseObject);
        }
        var requests = engine.Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests.Single(r => r.Field("prompt") == "a poster").Field("size"));
        Assert.Equal("16x9", requests.Single(r => r.Field("prompt") == "a wide poster").Field("size"));
        Assert.All(requests, r => Assert.Equal(2, r.Files.Count));
    }

    [Fact]
    public async Task A_new_image_pipes_into_Edit_and_on_into_a_command_that_binds_PSPath()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            $edited = New-TuZiImage 'a red fox' -OutDirectory out | Edit-TuZiImage -Prompt 'add snow' -OutDirectory out2
            $edited
            $edited | Resolve-TestPipedPath
            """);

        run.ThrowIfFailed();
        var requests = engine.Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("/v1/images/generations", requests[0].Path);
        Assert.Equal("/v1/images/edits", requests[1].Path);
        Assert.Single(requests[1].Files);
        var edited = Assert.Single(run.Results);
        string fullName = edited.Prop<string>("FullName")!;
        Assert.StartsWith(engine.Folder.Combine("out2"), fullName);
        Assert.True(System.IO.File.Exists(fullName));
        Assert.Equal(fullName, Assert.Single(run.Output, o => o.BaseObject is string).BaseObject);
        // The file that was edited is the one New saved.
        string created = Assert.Single(engine.FilesOnDisk(), f => f.StartsWith("out/"));
        Assert.Equal(ClientSha256(engine.Folder.Combine(created)), requests[1].Files[0].Sha256);
    }

    [Fact]
    public async Task A_URL_result_is_emitted_as_a_URL_when_no_output_location_is_given()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a red fox'");

        run.ThrowIfFailed();
        var result = Assert.Single(run.Results);
        Assert.StartsWith(engine.Server.ResultBaseAddress.ToString(), result.Prop<string>("Url"));
        Assert.Null(result.Prop("FullName"));
        Assert.Null(result.Prop("PSPath"));
        Assert.Empty(engine.FilesOnDisk());
        Assert.Empty(engine.Server.Downloads);
    }

    [Fact]
    public async Task An_existing_file_is_never_overwritten_unless_Force_is_given()
    {
        await using var engine = await EngineSession.StartAsync();
        string keep = engine.Folder.Combine("keep.png");
        System.IO.File.WriteAllText(keep, "mine");

        var refused = engine.Run("New-TuZiImage 'a red fox' -OutFile keep.png -ErrorAction Stop");

        Assert.StartsWith("TuZiImages.InvalidInput", refused.TerminatingRecord?.FullyQualifiedErrorId);
        Assert.Equal("mine", System.IO.File.ReadAllText(keep));
        Assert.Empty(engine.Server.Requests);

        var forced = engine.Run("New-TuZiImage 'a red fox' -OutFile keep.png -Force");

        forced.ThrowIfFailed();
        Assert.Equal(keep, Assert.Single(forced.Results).Prop<string>("FullName"));
        Assert.NotEqual("mine", System.IO.File.ReadAllText(keep));
        Assert.Equal(new[] { "keep.png" }, engine.FilesOnDisk());
    }

    [Fact]
    public async Task Paths_on_a_PowerShell_drive_resolve_to_the_files_behind_it_as_in_Pester_TestDrive()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png");

        // A drive of the FileSystem provider over the session folder, made current, as Pester's TestDrive: is.
        var run = engine.Run("""
            param($Root)
            $provider = $ExecutionContext.SessionState.Provider.GetOne('FileSystem')
            $null = $ExecutionContext.SessionState.Drive.New([System.Management.Automation.PSDriveInfo]::new('Pics', $provider, $Root, '', $null), 'global')
            $ExecutionContext.SessionState.Path.SetLocation('Pics:\')
            Edit-TuZiImage -Prompt 'fix' -Path 'photo1.png' -OutDirectory 'Pics:\edited' -ResponseFormat b64_json
            New-TuZiImage 'a red fox' -OutFile 'Pics:\fox.png' -ResponseFormat b64_json
            New-TuZiImage 'a blue whale' -ResponseFormat b64_json
            """, ("Root", engine.Folder.Path));

        run.ThrowIfFailed();
        Assert.Equal(3, run.Results.Length);
        var files = engine.FilesOnDisk();
        Assert.Contains("fox.png", files);
        Assert.Single(files, f => f.StartsWith("edited/"));
        Assert.Single(files, f => f.StartsWith("a-blue-whale-"));
        Assert.All(run.Results, r => Assert.StartsWith(engine.Folder.Path, r.Prop<string>("FullName")));
    }

    [Fact]
    public async Task ThrottleLimit_bounds_the_requests_in_flight_and_every_item_still_finishes()
    {
        await using var engine = await EngineSession.StartAsync();
        // The first two are held together: a third could only reach the service past the limit.
        engine.Server.EnqueueFault(new FaultSpec { Hold = "pair", Times = 2 });
        using var shell = engine.Create("1..6 | ForEach-Object { \"picture $_\" } | New-TuZiImage -ThrottleLimit 2 -ResponseFormat b64_json");

        var running = shell.BeginInvoke();
        await engine.Server.Holds.WhenReachedAsync("pair", 2).Within("two requests at once");
        engine.Server.Holds.Release("pair");
        var run = (await engine.EndAsync(shell, running)).ThrowIfFailed();

        Assert.Equal(6, run.Results.Length);
        Assert.Equal(6, engine.Server.Requests.Count);
        Assert.Equal(2, engine.Server.MaxConcurrentRequests);
    }

    private static string ClientSha256(string path) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path))).ToLowerInvariant();
}
