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

/// <summary>A created time means the same wherever it stands: an answer's created, a streamed event's created_at, a model's created.</summary>
public class CreatedTimeTests
{
    private static readonly DateTimeOffset Made = DateTimeOffset.FromUnixTimeSeconds(1764547200);

    public static TheoryData<string> Units => new() { "1764547200", "1764547200000", "1764547200000000", "\"1764547200\"" };

    [Theory]
    [MemberData(nameof(Units))]
    public async Task A_streamed_created_at_is_read_as_the_answer_reads_created(string value)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);
        string events = "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"created_at\":" + value + "}\n\n";

        var response = await EventStreamImageReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(events)), session, 1, CancellationToken.None);

        Assert.Equal(Made, Assert.Single(response.Items).Metadata!.CreatedAt);
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task A_model_created_is_read_as_the_answer_reads_created(string value)
    {
        string json = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-image-1\",\"created\":" + value + "}]}";

        var models = await ModelListReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

        Assert.Equal(Made, models.Single().Created);
    }
}
