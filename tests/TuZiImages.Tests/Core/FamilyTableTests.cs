using System.Collections.Generic;
using System.IO;
using System.Linq;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Models;
using TuZiImages.Core.Requests;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// The family table holds together, row by row (a new row is covered here without a new line): its fields are rows
/// of the field table, its versions find it, and a newer version gets its translations without its refusals.
/// </summary>
public class FamilyTableTests
{
    public static IEnumerable<object[]> Families() => ModelFamilies.All.Select(f => new object[] { f.Name });

    private static ModelFamily Row(string name) => ModelFamilies.All.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_field_a_family_takes_is_a_row_of_the_field_table_and_its_values_are_words_of_that_row(string name)
    {
        var family = Row(name);

        foreach (var field in family.Fields)
        {
            var row = BodyFields.Named(field.Field);
            Assert.True(row is not null, $"{name} takes '{field.Field}', which is no row of the field table (Bodies/BodyFields.cs).");
            Assert.All(field.Values, v => Assert.Contains(v, row!.Value.Choices.Select(c => c.Value)));
        }
        Assert.Equal(family.Fields.Count, family.Fields.Select(f => f.SentAs).Distinct().Count());
        // Whatever a family takes, one of its routes must be able to carry.
        var endpoints = family.Generate.Endpoint | (family.GenerateWithReferences ?? family.Generate).Endpoint | family.Edit.Endpoint;
        Assert.All(family.Fields, f => Assert.NotEqual(0, (int)(BodyFields.Named(f.Field)!.Endpoints & endpoints)));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Each_version_a_family_lists_finds_it_and_resembles_it(string name)
    {
        var family = Row(name);

        Assert.All(family.Models, m =>
        {
            Assert.Same(family, ModelFamilies.Find(m.Id));
            Assert.True(family.Matches(m.Id), $"{m.Id} does not match {name}'s pattern, so its newer versions would not either.");
            Assert.Single(ModelFamilies.All, f => f.Lists(m.Id));
        });
        Assert.True(family.Removed is not null || family.Models.Count > 0, $"{name} lists no version by name.");
    }

    [Theory]
    [InlineData("gpt-image-2.5", "xhigh", "xhigh")]
    [InlineData("gpt-image-2.5", "2k", "high")]
    [InlineData("gemini-3.5-pro-image-preview-4k", "4k", "4k")]
    [InlineData("bfl-flux-2-flex", "high", "high")]
    public void A_newer_version_keeps_its_familys_quality_words_and_sends_others_as_written(string model, string quality, string sent)
    {
        Assert.Equal(sent, ModelFamilies.Find(model).QualityFor(model, quality));
    }

    [Theory]
    [InlineData("gemini-3.5-pro-image-preview", "7:3", null, "7x3")]
    [InlineData("gpt-image-2.5", "4:1", null, "1632x416")]
    [InlineData("doubao-seedream-6-0-270101", "16:9", null, "16x9")]
    [InlineData("doubao-seedream-6-0-270101", null, "5K", "5K")]
    [InlineData("gpt-image-1-nano", "4:3", null, "1536x1024")]
    [InlineData("flux-kontext-pro", null, "1920x1080", "16:9")]
    [InlineData("flux-kontext-pro", null, "1000x700", "10:7")]
    [InlineData("bfl-flux-2-flex", null, "3000x1000", "3:1")]
    public void A_size_goes_through_the_familys_translation(string model, string? ratio, string? size, string sent)
    {
        Assert.Equal(sent, ModelFamilies.Find(model).SizeFor(model, ratio, size, null));
    }

    [Theory]
    [InlineData("flux-kontext-pro", null, "3000x1000", "any ratio from 21:9 to 9:21")]
    [InlineData("flux-kontext-pro", "1:3", null, "any ratio from 21:9 to 9:21")]
    [InlineData("gemini-3-pro-image-preview", "7:3", null, "1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9")]
    [InlineData("gpt-image-1", "4:3", null, "1:1, 3:2, 2:3, 16:9, 9:16")]
    [InlineData("gpt-image-1.5", "9:16", null, "1:1, 3:2, 2:3")]
    [InlineData("gpt-image-2", null, "3840x2176", "655,360 to 8,294,400 pixels")]
    [InlineData("gemini-3-pro-image-preview-async", "7:3", null, "1:1, 2:3")]
    public void A_listed_version_refuses_a_shape_its_family_does_not_take_naming_what_it_does(string model, string? ratio, string? size, string named)
    {
        var e = Assert.Throws<TuZiImagesException>(() => ModelFamilies.Find(model).SizeFor(model, ratio, size, null));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData("gpt-image-1", true)]
    [InlineData("gpt-image-2", true)]
    [InlineData("gpt-image-2.5", false)]
    [InlineData("gemini-3-pro-image-preview", false)]
    [InlineData("some-new-model", false)]
    public void An_image_over_the_byte_limit_of_a_listed_version_is_refused_before_anything_is_read(string model, bool refused)
    {
        using var folder = new TempDirectory();
        string path = TestImages.WritePng(folder.Path, "big.png");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(50L * 1024 * 1024 + 1);
        }
        var request = new EditRequest { Prompt = "merge" };
        request.Images.Add(InputImage.FromFile(path));

        var plan = () => request.Plan(model);

        if (refused)
        {
            var e = Assert.Throws<TuZiImagesException>(plan);
            Assert.Contains("at most 50.0 MB", e.Message);
            Assert.Equal(path, e.Target);
        }
        else
        {
            Assert.Single(plan().Files);
        }
    }

    [Fact]
    public void The_tooltips_of_a_fields_words_say_which_families_take_each_from_the_table()
    {
        string Tip(BodyField field, string value) => field.Choices.Single(c => c.Value == value).Tooltip;

        Assert.StartsWith("gpt-image: ", Tip(BodyFields.Background, "transparent"));
        Assert.StartsWith("gpt-image, FLUX: ", Tip(BodyFields.OutputFormat, "png"));
        Assert.StartsWith("gpt-image: ", Tip(BodyFields.OutputFormat, "webp"));
        // Every images-API family takes it: nothing to say.
        Assert.DoesNotContain(":", Tip(BodyFields.ResponseFormat, "url"));
    }

    [Fact]
    public void The_wire_text_quotes_what_is_not_a_plain_word_and_keeps_json_types_apart()
    {
        var request = new GenerationRequest { Prompt = "it's a fox", Model = "some-new-model", [BodyFields.Seed] = 42 };
        request.AdditionalFields["tag"] = "42";
        request.AdditionalFields["style_preset"] = new Dictionary<string, object?> { ["a"] = 1 };

        Assert.Equal("POST /v1/images/generations (JSON): model some-new-model, prompt 'it''s a fox', seed 42, tag '42', style_preset {\"a\":1}",
            request.Describe("m"));
    }
}
