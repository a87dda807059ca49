using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>
/// Tasks the fake knows by the ids a help example types (Receive-TuZiImage -TaskId task_a), as if an earlier
/// session had submitted them: tests/Examples.Tests.ps1 seeds them so those examples run as written.
/// </summary>
public class TaskSeedTests
{
    [Fact]
    public async Task A_seeded_task_answers_its_poll_as_completed_with_an_image_and_is_no_submission()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);

        using var seeded = await raw.Http.PostAsync("_control/tasks/seed",
            new StringContent("""{"ids":["task_a","task_b"],"model":"gemini-3-pro-image-preview-2k-async"}""", Encoding.UTF8, "application/json"));
        using var poll = new HttpRequestMessage(HttpMethod.Get, "v1/videos/task_b") { Headers = { { "Authorization", "Bearer k" } } };
        using var answer = await raw.Http.SendAsync(poll);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());

        Assert.Equal(204, (int)seeded.StatusCode);
        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("gemini-3-pro-image-preview-2k-async", json.RootElement.GetProperty("model").GetString());
        Assert.StartsWith(server.ResultBaseAddress.ToString(), json.RootElement.GetProperty("video_url").GetString());
        Assert.Equal(0, server.Tasks.Submissions);
    }

    [Fact]
    public async Task A_seed_without_ids_is_refused()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);

        using var refused = await raw.Http.PostAsync("_control/tasks/seed", new StringContent("""{"ids":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Empty(server.Tasks.Snapshot());
    }
}
