using System.Text;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Saving;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>gpt-image's usage and settings, read beside the data whatever shape the server gives them.</summary>
public class ImageMetadataReaderTests
{
    private static async Task<ParsedResponse> Read(string json, int bytesPerRead)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);
        return await ImageResponseReader.ReadAsync(new TricklingStream(Encoding.UTF8.GetBytes(json), bytesPerRead), session, CancellationToken.None);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(100000)]
    public async Task Usage_and_settings_are_read_from_either_side_of_the_data(int bytesPerRead)
    {
        string json = "{\"background\":\"transparent\",\"created\":1,\"data\":[{\"url\":\"https://r.example/a.png\"}],"
            + "\"output_format\":\"webp\",\"quality\":\"high\",\"size\":\"1024x1536\","
            + "\"usage\":{\"input_tokens\":50,\"input_tokens_details\":{\"image_tokens\":40,\"text_tokens\":10,\"odd\":\"x\"},"
            + "\"output_tokens\":4160,\"total_tokens\":4210,\"output_tokens_details\":{\"image_tokens\":4160},\"future\":[1,2]}}";

        var response = await Read(json, bytesPerRead);

        var metadata = response.Metadata;
        Assert.Equal("transparent", metadata.Background);
        Assert.Equal("webp", metadata.OutputFormat);
        Assert.Equal("high", metadata.Quality);
        Assert.Equal("1024x1536", metadata.Size);
        var usage = metadata.Usage!;
        Assert.Equal((50L, 4160L, 4210L), (usage.InputTokens!.Value, usage.OutputTokens!.Value, usage.TotalTokens!.Value));
        Assert.Equal(40, usage.InputTokensDetails!["image_tokens"]);
        Assert.Equal(10, usage.InputTokensDetails["text_tokens"]);
        Assert.False(usage.InputTokensDetails.ContainsKey("odd"));
        Assert.Equal(4160, usage.OutputTokensDetails!["image_tokens"]);
        Assert.Equal("https://r.example/a.png", Assert.Single(response.Items).Url);
    }

    [Theory]
    [InlineData("{\"data\":[],\"usage\":null,\"size\":1024,\"quality\":null}")]
    [InlineData("{\"data\":[],\"usage\":\"n/a\",\"background\":{\"x\":1}}")]
    [InlineData("{\"data\":[],\"usage\":[1,2]}")]
    public async Task Metadata_of_an_unexpected_shape_is_skipped_not_an_error(string json)
    {
        var response = await Read(json, 3);

        Assert.True(response.HasData);
        Assert.Null(response.Metadata.Usage);
        Assert.Null(response.Metadata.Size);
        Assert.Null(response.Metadata.Background);
    }

    [Fact]
    public async Task Usage_counts_given_as_text_are_read()
    {
        var response = await Read("{\"data\":[],\"usage\":{\"total_tokens\":\"77\",\"input_tokens\":{}}}", 2);

        Assert.Equal(77, response.Metadata.Usage!.TotalTokens);
        Assert.Null(response.Metadata.Usage.InputTokens);
    }
}
