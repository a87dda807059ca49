using System.IO;
using System.Linq;
using TuZiImages.Core.Models;

namespace TuZiImages.Tests.Cmdlets;

/// <summary>The shipped help keeps up with the family table: every size and word a family takes is in about_TuZiImages.</summary>
public class FamilyHelpTests : IClassFixture<BuiltModule>
{
    private readonly BuiltModule _module;

    public FamilyHelpTests(BuiltModule module) => _module = module;

    [Fact]
    public void The_about_topic_names_what_every_family_takes()
    {
        string about = File.ReadAllText(Path.Combine(_module.Directory, "en-US", "about_TuZiImages.help.txt"));

        foreach (var family in ModelFamilies.All)
        {
            foreach (string taken in family.PixelSizes.Concat(family.Presets).Concat(family.Qualities.Select(q => q.Word)))
            {
                Assert.True(about.Contains(taken), $"about_TuZiImages does not say that {family.Name} takes {taken}");
            }
            if (family.MaxReferenceImages is { } max and > 0)
            {
                Assert.Contains($"up to {max}", about);
            }
        }
        Assert.Contains("TUZI_IMAGE_MODEL", about);
        Assert.Contains("SizeMismatch", about);
        Assert.Contains("RequestedSize", about);
    }
}
