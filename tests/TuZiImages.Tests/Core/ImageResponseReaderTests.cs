using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Saving;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class ImageResponseReaderTests
{
    private static async Task<ParsedResponse> Read(string json, SaveSession session, int bytesPerRead = 3) =>
        await ImageResponseReader.ReadAsync(new TricklingStream(Encoding.UTF8.GetBytes(json), bytesPerRead), session, CancellationToken.None);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100000)]
    public async Task Every_way_an_image_can_arrive_ends_up_on_disk_byte_for_byte(int bytesPerRead)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);
        var png = TestImages.Png(64, 32);
        string b64 = Convert.ToBase64String(png);
        string json = "{\"created\": 1700000000, \"ignored\": {\"deep\": [1, {\"x\": \"y\\\"z\"}, null, true]}, \"data\": ["
            + $"{{\"b64_json\": \"{b64.Replace("/", "\\/")}\", \"revised_prompt\": \"a fox \\u00e9\\ud83e\\udd8a\"}},"
            + $"{{\"url\": \"data:image/png;base64,{b64}\"}},"
            + $"{{\"url\": \"{b64}\"}},"
            + "{\"url\": \"https://results.example/a.png?sig=1\\u0026x=2\", \"extra\": 12.5e3}"
            + "], \"usage\": null}";

        var response = await Read(json, session, bytesPerRead);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), response.Created);
        Assert.Equal(4, response.Items.Count);
        Assert.Equal("a fox é🦊", response.Items[0].RevisedPrompt);
        foreach (var item in response.Items.Take(3))
        {
            Assert.Null(item.Url);
            Assert.NotNull(item.File);
            Assert.Equal("PNG", item.File!.Format!.Name);
            Assert.Equal(png, File.ReadAllBytes(item.File.TempPath));
        }
        Assert.Equal("https://results.example/a.png?sig=1&x=2", response.Items[3].Url);
        Assert.Null(response.Items[3].File);
    }

    [Fact]
    public async Task Temporary_files_vanish_when_the_session_ends_uncommitted()
    {
        using var folder = new TempDirectory();
        string b64 = Convert.ToBase64String(TestImages.Png(8, 8));
        using (var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now))
        {
            await Read($"{{\"data\":[{{\"b64_json\":\"{b64}\"}}]}}", session);
            Assert.Single(folder.FileNames());
        }
        Assert.Empty(folder.FileNames());
    }

    [Theory]
    [InlineData("{\"data\": [], \"created\": 1}", 0)]
    [InlineData("{\"data\": [{\"url\": \"\"}]}", 1)]
    [InlineData("{\"data\": [{\"b64_json\": \"\"}]}", 1)]
    [InlineData("{\"data\": [{\"url\": null}]}", 1)]
    public async Task Empty_answers_are_read_as_items_without_images(string json, int items)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);

        var response = await Read(json, session);

        Assert.Equal(items, response.Items.Count);
        Assert.All(response.Items, i => Assert.True(i.Url is null && i.File is null));
    }

    [Fact]
    public async Task An_error_object_in_a_success_status_is_captured()
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);

        var response = await Read("{\"error\": {\"message\": \"model not in group\", \"type\": \"new_api_error\", \"code\": 403}}", session);

        Assert.Equal("model not in group", response.ErrorMessage);
        Assert.Equal("new_api_error", response.ErrorType);
        Assert.Equal("403", response.ErrorCode);
        Assert.Empty(response.Items);
    }

    [Theory]
    [InlineData("{\"data\": [{\"b64_json\": \"iVBORw0KGgo")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{\"data\": [{\"b64_json\": \"iVBO*w0KGgo\"}]}")]
    [InlineData("{\"data\" [] }")]
    public async Task Broken_answers_are_reported_as_invalid_data_and_leave_no_file(string json)
    {
        using var folder = new TempDirectory();
        using (var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now))
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => Read(json, session));
        }
        Assert.Empty(folder.FileNames());
    }
}
