using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// The one rule of billing, end to end, per ending: a request that went out whole and got no complete answer may
/// have made and billed its image, so it is never sent again on its own; one that failed while its body was still
/// going out is sent again as any "not now" is.
/// </summary>
public class MaybeBilledTests
{
    // A model with an async twin in the family table, so the advice can name it.
    private const string Model = "gemini-3-pro-image-preview";

    public static TheoryData<string> EndingsAfterTheBody => new() { "timeout", "reset", "cut answer", "504 timeout page", "524 page", "504" };

    [Theory]
    [MemberData(nameof(EndingsAfterTheBody))]
    public async Task An_ending_after_the_body_went_out_whole_is_not_sent_again_and_the_error_says_how_to_try_again(string ending)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(ending switch
        {
            // Held for good: the client's timeout is the only way the call can end.
            "timeout" => new FaultSpec { Hold = "never", Times = 0 },
            "reset" => new FaultSpec { Reset = true, Times = 0 },
            "cut answer" => new FaultSpec { Truncate = true, PayloadBytes = 200_000, Times = 0 },
            "504 timeout page" => new FaultSpec { Status = 504, Html = true, Times = 0 },
            "524 page" => new FaultSpec { Status = 524, Html = true, Times = 0 },
            _ => new FaultSpec { Status = 504, Times = 0 },
        });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o => { o.Timeout = TimeSpan.FromSeconds(1); o.MaxRetries = 3; })
            .GenerateAsync(new GenerationRequest { Prompt = "a red fox", Model = Model, [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere())
            .Within("the failing call"));

        Assert.Single(h.Server.Requests);
        Assert.True(e.Attempts == 1, $"{e.Attempts} attempts; the client's log:\n{string.Join("\n", h.Log)}");
        Assert.True(e.MayHaveBeenBilled);
        Assert.Contains("may have been made and billed, so the request was not sent again", e.Message);
        Assert.Contains("-SkipExisting", e.RecommendedAction);
        Assert.Contains("-Model gemini-3-pro-image-preview-async", e.RecommendedAction);
        Assert.Empty(h.Folder.FileNames());
    }

    public static TheoryData<string> EndingsBeforeTheBody => new() { "timeout", "reset", "504 timeout page" };

    [Theory]
    [MemberData(nameof(EndingsBeforeTheBody))]
    public async Task An_ending_while_the_body_was_still_going_out_is_sent_again(string ending)
    {
        await using var h = await ClientHarness.StartAsync();
        // The server stops reading after the headers, so a body larger than the connection's buffers cannot go out whole.
        h.Server.EnqueueFault(ending switch
        {
            "timeout" => new FaultSpec { BeforeBody = true, Hold = "never" },
            "reset" => new FaultSpec { BeforeBody = true, Reset = true },
            _ => new FaultSpec { BeforeBody = true, Status = 504, Html = true },
        });
        var request = new EditRequest { Prompt = "merge", Model = Model, [BodyFields.ResponseFormat] = "b64_json" };
        request.Images.Add(InputImage.FromFile(LargeInput(h.Folder.Path)));
        var save = SaveOptions.ToDirectory(Path.Combine(h.Folder.Path, "out"), "merged");

        var response = await h.Client(o => { o.Timeout = TimeSpan.FromSeconds(ending == "timeout" ? 2 : 60); o.MaxRetries = 1; })
            .EditAsync(request, save).Within("the edit");

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.NotEqual("200", h.Server.Requests[0].Outcome);
        Assert.Equal("200", h.Server.Requests[1].Outcome);
        Assert.Single(response.Images);
    }

    [Fact]
    public async Task A_task_submission_reset_after_its_body_is_not_submitted_again()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Reset = true, Times = 0 });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o => o.MaxRetries = 3)
            .GenerateAsync(new GenerationRequest { Prompt = "a fox", Model = "gemini-3-pro-image-preview-async" }, h.SaveHere()).Within("the submission"));

        Assert.Single(h.Server.Requests, r => r.Path == "/v1/videos");
        Assert.True(e.MayHaveBeenBilled);
        Assert.Contains("not sent again", e.Message);
        Assert.DoesNotContain("async variant", e.RecommendedAction); // it is async already
    }

    [Fact]
    public async Task A_reset_of_a_download_is_tried_again_since_fetching_an_image_bills_nothing()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueDownloadFault(new FaultSpec { Reset = true });

        var response = await h.Client(o => o.MaxRetries = 1).GenerateAsync(new GenerationRequest { Prompt = "a fox", [BodyFields.ResponseFormat] = "url" }, h.SaveHere())
            .Within("the generation");

        Assert.NotNull(Assert.Single(response.Images).FullName);
        Assert.Single(h.Server.Requests);
        Assert.Equal(2, h.Server.Downloads.Count);
    }

    /// <summary>A file that starts as a PNG and is far larger than a loopback connection's buffers.</summary>
    private static string LargeInput(string folder)
    {
        string path = Path.Combine(folder, "large.png");
        var bytes = new byte[48 << 20];
        TestImages.Png(4, 4).CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
