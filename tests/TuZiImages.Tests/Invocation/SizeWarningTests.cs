using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Invocation;

/// <summary>The size check as the cmdlets' core runs it: results marked, one warning per distinct mismatch, on the pipeline thread.</summary>
public class SizeWarningTests
{
    [Fact]
    public async Task A_service_that_ignores_the_size_is_told_once_per_mismatch_and_every_result_says_so()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { IgnoreSize = true });
        var host = new RecordingHost();

        using (var command = new GenerateCommand(host, h.Options(), 2, h.Folder.Path, promptFromCommandLine: false))
        {
            foreach (string prompt in new[] { "a fox", "a cat", "an owl" })
            {
                command.Process(prompt, Array.Empty<string>(), new ImageSettings { Model = "dall-e-3", AspectRatio = "16:9", [BodyFields.ResponseFormat] = "b64_json" });
            }
            command.Process("a bee", Array.Empty<string>(), new ImageSettings { Model = "dall-e-3", Size = "1024x1792", [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("a square", Array.Empty<string>(), new ImageSettings { Model = "dall-e-3", Size = "1024x1024", [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        Assert.Equal(5, host.Results.Count);
        Assert.Equal(0, host.CallsOffThePipelineThread);
        Assert.Equal(2, host.Warnings.Count);
        Assert.Contains(host.Warnings, w => w.StartsWith("dall-e-3 was asked for size 1792x1024 but made 1024x1024", StringComparison.Ordinal));
        Assert.Contains(host.Warnings, w => w.StartsWith("dall-e-3 was asked for size 1024x1792 but made 1024x1024", StringComparison.Ordinal));
        Assert.Equal(new[] { "a bee", "a cat", "a fox", "an owl" }, host.Results.Where(r => r.SizeMismatch).Select(r => r.Prompt).OrderBy(p => p));
        var square = Assert.Single(host.Results, r => !r.SizeMismatch);
        Assert.Equal("1024x1024", square.RequestedSize);
    }
}
