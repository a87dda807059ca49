using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Streams;

[Trait("Category", "Engine")]
public sealed class ApiKeyTests
{
    [Fact]
    public async Task The_key_is_in_no_stream_with_Verbose_and_Debug_even_when_the_server_echoes_it()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "echo", Status = 401, EchoApiKey = true, Times = 0 });

        var run = engine.Run("""
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $InformationPreference = 'Continue'
            New-TuZiImage 'a red fox' -OutDirectory out -Verbose -Debug
            New-TuZiImage 'echo my key' -Verbose -Debug
            'x [fault:503]' | New-TuZiImage -MaxRetryCount 1 -Verbose -Debug
            New-TuZiImage 'a blue whale' -Verbose -Debug -WhatIf
            """);

        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Errors.Count);
        Assert.NotEmpty(run.Verbose);
        Assert.NotEmpty(run.Results);
        string everything = run.AllText();
        Assert.DoesNotContain(engine.ApiKey, everything);
        Assert.Contains("HTTP 401", everything);
        // The key did go where it belongs, and the server really echoed it back.
        var echoed = engine.Server.Requests.Single(r => r.Field("prompt") == "echo my key");
        Assert.Equal("Bearer " + engine.ApiKey, echoed.Header("Authorization"));
        foreach (string file in engine.FilesOnDisk())
        {
            Assert.DoesNotContain(engine.ApiKey, File.ReadAllText(engine.Folder.Combine(file)));
        }
    }

    [Fact]
    public async Task ApiKey_takes_a_plain_string_or_a_SecureString_and_sends_it_to_the_API_only()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            $secure = [securestring]::new()
            'sk-from-parameter'.ToCharArray() | ForEach-Object { $secure.AppendChar($_) }
            New-TuZiImage 'a red fox' -ApiKey $secure -OutDirectory out
            New-TuZiImage 'a red fox' -ApiKey 'sk-plain-parameter' -ResponseFormat b64_json
            """);

        run.ThrowIfFailed();
        var requests = engine.Server.Requests;
        Assert.Equal("Bearer sk-from-parameter", requests[0].Header("Authorization"));
        Assert.Equal("Bearer sk-plain-parameter", requests[1].Header("Authorization"));
        Assert.NotEmpty(engine.Server.Downloads);
        Assert.All(engine.Server.Downloads, d => Assert.Null(d.Header("Authorization")));
    }
}
