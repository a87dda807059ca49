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
    public async Task A_new_image_pipes_into_Edit_which_edits_the_file_New_saved()
    {
        await using var engine = await EngineSession.StartAsync();

        // On into the real Copy-Item and Get-Item: New-TuZiImage.Tests.ps1.
        var run = engine.Run("New-TuZiImage 'a red fox' -OutDirectory out | Edit-TuZiImage -Prompt 'add snow' -OutDirectory out2");

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
