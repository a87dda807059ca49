using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.ShouldProcess;

[Trait("Category", "Engine")]
public sealed class ShouldProcessTests
{
    [Fact]
    public async Task WhatIf_on_New_sends_nothing_creates_nothing_and_says_what_it_would_send()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("'a red fox', 'a blue whale' | New-TuZiImage -OutDirectory out -WhatIf");

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        Assert.Empty(run.Output);
        Assert.Empty(engine.FilesOnDisk());
        Assert.False(System.IO.Directory.Exists(engine.Folder.Combine("out")));
        string said = engine.HostUI.Text;
        Assert.Contains("What if:", said);
        Assert.Contains("a red fox", said);
        Assert.Contains("a blue whale", said);
    }

    [Fact]
    public async Task WhatIf_on_Edit_sends_nothing_and_names_the_images()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png");
        engine.WritePng("photo2.png");

        var run = engine.Run("Get-TestChildItem *.png | Edit-TuZiImage -Prompt 'merge' -WhatIf");

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        Assert.Equal(new[] { "photo1.png", "photo2.png" }, engine.FilesOnDisk());
        string said = engine.HostUI.Text;
        Assert.Contains("What if:", said);
        Assert.Contains("photo1.png", said);
        Assert.Contains("photo2.png", said);
    }

     [Fact]
    public async Task Confirm_answered_No_sends_nothing()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("'a red fox', 'a blue whale' | New-TuZiImage -OutDirectory out -Confirm");

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        Assert.Empty(run.Output);
        Assert.Empty(engine.FilesOnDisk());
        var asked = engine.HostUI.Prompts;
        Assert.Equal(2, asked.Length);
        Assert.All(asked, p => Assert.Equal("No", p.Answer));
        Assert.Contains(asked, p => p.Message.Contains("a red fox"));
        Assert.Contains(asked, p => p.Message.Contains("a blue whale"));
    }

    [Fact]
    public async Task Confirm_on_Edit_answered_No_sends_nothing_and_asked_about_the_images()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png");
        engine.WritePng("photo2.png");

        var run = engine.Run("Get-TestChildItem *.png | Edit-TuZiImage -Prompt 'merge' -Confirm");

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        Assert.Empty(run.Output);
        var asked = Assert.Single(engine.HostUI.Prompts);
        Assert.Equal("No", asked.Answer);
        Assert.Contains("photo1.png", asked.Message);
        Assert.Contains("photo2.png", asked.Message);
    }
}
