using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.TestServer;
using TuZiImages.TestServer.Endpoints;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>
/// The fake service's holds: a request, the rest of an answer, or a task waits until the test releases it, and
/// the test can await that it got there. The client tests that stop, cancel or time out stand on these.
/// </summary>
public class HoldTests
{
    [Fact]
    public async Task A_request_held_before_its_answer_stays_unanswered_until_the_test_releases_it()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);
        server.EnqueueFault(new FaultSpec { Hold = "answer" });

        var sending = raw.SendGenerationAsync();
        await server.Holds.WhenReachedAsync("answer").Within("the request to reach the hold");

        Assert.False(sending.IsCompleted);
        Assert.Equal("pending", Assert.Single(server.Requests).Outcome);
        Assert.False(server.Holds.IsReleased("answer"));

        server.Holds.Release("answer");
        using var answer = await sending.Within("the released answer");

        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Equal("200", Assert.Single(server.Requests).Outcome);
        Assert.Equal(1, server.Holds.Reached("answer"));
    }

    [Fact]
    public async Task A_hold_in_the_middle_of_an_answer_sends_its_start_and_keeps_the_rest_until_released()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);
        server.EnqueueFault(new FaultSpec { PayloadBytes = 512 * 1024, HoldMidBody = "rest", ForceB64 = true });

        using var response = await raw.Http.SendAsync(RawServerClient.Generation(), HttpCompletionOption.ResponseHeadersRead).Within("the headers");
        await server.Holds.WhenReachedAsync("rest").Within("the answer to reach its middle");
        using var body = await response.Content.ReadAsStreamAsync();
        // The start is there to read while the hold is closed: a client reading it is mid-answer.
        var start = new byte[64 * 1024];
        int read = await body.ReadAtLeastAsync(start, start.Length).AsTask().Within("the first 64 KB");

        Assert.StartsWith("{\"created\":", Encoding.ASCII.GetString(start, 0, read));
        Assert.Equal("200", Assert.Single(server.Requests).Outcome);
        Assert.False(server.Holds.IsReleased("rest"));

        server.Holds.Release("rest");
        var whole = new System.IO.MemoryStream();
        await body.CopyToAsync(whole).Within("the rest of the answer");
        Assert.True(read + whole.Length > 512 * 1024 * 4 / 3, $"{read + whole.Length} bytes");
    }

    [Fact]
    public async Task A_held_task_is_working_past_its_duration_until_released_and_then_completes()
    {
        await using var server = await FakeTuZiServer.StartAsync(new FakeServerOptions { TaskDurationMs = 0 });
        using var raw = new RawServerClient(server.ApiBaseAddress);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("mj-imagine"), "model" },
            { new StringContent("a fox [task:hold=fox]"), "prompt" },
        };
        using var submit = new HttpRequestMessage(HttpMethod.Post, "v1/videos") { Content = form, Headers = { { "Authorization", "Bearer k" } } };
        string id = JsonDocument.Parse(await (await raw.Http.SendAsync(submit)).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var held = await PollAsync(raw, id);
        var again = await PollAsync(raw, id);
        server.Holds.Release("fox");
        var released = await PollAsync(raw, id);

        Assert.Equal(("in_progress", 99), held);
        Assert.Equal(("in_progress", 99), again);
        Assert.Equal(("completed", 100), released);
        Assert.Equal(3, server.Holds.Reached("fox"));
        Assert.Equal("fox", server.Tasks.Find(id)!.Hold);
    }

    [Fact]
    public async Task Over_the_control_endpoints_a_script_awaits_a_hold_releases_it_and_sees_it_listed()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);
        (await raw.Http.PostAsync("_control/faults", new StringContent("{\"hold\":\"scripted\",\"times\":2}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var first = raw.SendGenerationAsync();
        var second = raw.SendGenerationAsync();
        using var reached = await raw.Http.GetAsync("_control/holds/scripted/reached?count=2").Within("the long poll");
        using var notYet = await raw.Http.GetAsync("_control/holds/scripted/reached?count=3&timeoutMs=1");
        using var listed = await raw.Http.GetAsync("_control/holds");
        (await raw.Http.PostAsync("_control/holds/scripted/release", null)).EnsureSuccessStatusCode();
        var answers = await Task.WhenAll(first, second).Within("the released answers");

        Assert.Equal(200, (int)reached.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await reached.Content.ReadAsStringAsync()).RootElement.GetProperty("reached").GetInt32());
        Assert.Equal(408, (int)notYet.StatusCode);
        var hold = Assert.Single(JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal("scripted", hold.GetProperty("name").GetString());
        Assert.False(hold.GetProperty("released").GetBoolean());
        Assert.All(answers, a => Assert.Equal(200, (int)a.StatusCode));
        Assert.True(server.Holds.IsReleased("scripted"));
    }

    [Fact]
    public async Task A_reset_lets_every_held_request_go_so_that_no_test_leaves_one_waiting()
    {
        await using var server = await FakeTuZiServer.StartAsync();
        using var raw = new RawServerClient(server.ApiBaseAddress);
        server.EnqueueFault(new FaultSpec { Hold = "forgotten" });
        var sending = raw.SendGenerationAsync();
        await server.Holds.WhenReachedAsync("forgotten").Within("the request to reach the hold");

        server.Reset();
        using var answer = await sending.Within("the answer after the reset");

        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Empty(server.Holds.Snapshot());
    }

    private static async Task<(string Status, int Progress)> PollAsync(RawServerClient raw, string id)
    {
        using var poll = new HttpRequestMessage(HttpMethod.Get, $"v1/videos/{id}") { Headers = { { "Authorization", "Bearer k" } } };
        var answer = JsonDocument.Parse(await (await raw.Http.SendAsync(poll)).Content.ReadAsStringAsync()).RootElement;
        return (answer.GetProperty("status").GetString()!, answer.GetProperty("progress").GetInt32());
    }
}
