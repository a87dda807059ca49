using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text;
using System.Threading.Tasks;
using System;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// Every row of the field table reaches each body it belongs to (as really serialised), the -SkipExisting identity
/// when it decides the image, the -WhatIf text, and the -AdditionalParameter conflicts. A new row is covered here
/// without touching this file.
/// </summary>
public sealed class BodyFieldTableTests : IDisposable
{
    private const string Model = "model-under-test";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    public static IEnumerable<object[]> RowsSetByValue() => Rows(held: false);

    public static IEnumerable<object[]> HeldRows() => Rows(held: true);

    /// <summary>Each row with each endpoint that takes it.</summary>
    private static IEnumerable<object[]> Rows(bool held) =>
        from field in BodyFields.All
        where field.Value.IsHeld == held
        from endpoint in new[] { BodyEndpoints.Generations, BodyEndpoints.Edits }
        where (field.Endpoints & endpoint) != 0
        select new object[] { field.Name, endpoint };

    [Theory]
    [MemberData(nameof(RowsSetByValue))]
    public async Task A_row_reaches_its_body_the_identity_the_WhatIf_text_and_the_conflicts(string name, BodyEndpoints endpoint)
    {
        var field = BodyFields.For(endpoint).Single(f => f.Name == name);
        object example = Example(field);
        var request = Request(endpoint);
        string without = request.IdentityHash(Model);

        request[field] = example;
        request.Validate();

        Assert.Equal(Text(example), await SentValue(request, field.Name));
        if (field.Identity == FieldIdentity.None)
        {
            Assert.Equal(without, request.IdentityHash(Model));
        }
        else
        {
            Assert.NotEqual(without, request.IdentityHash(Model));
        }
        Assert.Contains($", {field.Name} {Shown(example, endpoint)}", request.Describe(Model));
        request.AdditionalFields[field.Name.ToUpperInvariant()] = "again";
        var conflict = Assert.Throws<TuZiImagesException>(request.Validate);
        Assert.Contains(field.ParameterText, conflict.Message);
    }

    [Theory]
    [MemberData(nameof(RowsSetByValue))]
    public void A_row_is_refused_by_the_endpoint_that_does_not_take_it(string name, BodyEndpoints endpoint)
    {
        var field = BodyFields.For(endpoint).Single(f => f.Name == name);
        var other = endpoint == BodyEndpoints.Generations ? BodyEndpoints.Edits : BodyEndpoints.Generations;
        if ((field.Endpoints & other) == 0)
        {
            Assert.Throws<ArgumentException>(() => Request(other)[field] = Example(field));
        }
    }

    /// <summary>The rows the request holds itself, each changed the way a person would change it.</summary>
    private static readonly Dictionary<string, Action<ImageRequest, string>> ChangeHeld = new()
    {
        ["model"] = (r, _) => r.Model = "another-model",
        ["prompt"] = (r, _) => r.Prompt = "another prompt",
        ["n"] = (r, _) => r.Count = 3,
        ["stream"] = (r, _) => r.PartialImages = 1,
        ["partial_images"] = (r, _) => r.PartialImages = 1,
        ["image"] = (r, folder) =>
        {
            var file = InputImage.FromFile(TestImages.WritePng(folder, $"more-{Guid.NewGuid():N}.png", 9, 9, 7));
            if (r is GenerationRequest g) g.ReferenceImages.Add(ReferenceImage.FromFile(file)); else ((EditRequest)r).Images.Add(file);
        },
        ["mask"] = (r, folder) => ((EditRequest)r).Mask = InputImage.FromFile(TestImages.WritePng(folder, $"mask-{Guid.NewGuid():N}.png", 4, 4, 0)),
    };

    [Theory]
    [MemberData(nameof(HeldRows))]
    public async Task A_held_row_reaches_its_body_the_identity_and_the_conflicts(string name, BodyEndpoints endpoint)
    {
        var field = BodyFields.For(endpoint).Single(f => f.Name == name);
        Assert.True(ChangeHeld.ContainsKey(name), $"The test does not yet know how to change the held field '{name}'.");
        var request = Request(endpoint);
        string before = request.IdentityHash(Model);
        string describedBefore = request.Describe(Model);

        ChangeHeld[name](request, _folder.Path);
        request.Validate();

        if (field.Value.IsFiles)
        {
            Assert.Contains(field.Name, await SentFileFields(request));
        }
        else
        {
            Assert.NotNull(await SentValue(request, field.Name));
        }
        Assert.Equal(field.Identity != FieldIdentity.None, before != request.IdentityHash(Model));
        Assert.NotEqual(describedBefore, request.Describe(Model));
        request.AdditionalFields[field.Name] = "again";
        Assert.Contains(field.ParameterText, Assert.Throws<TuZiImagesException>(request.Validate).Message);
    }

    [Fact]
    public void WhatIf_tells_every_field_that_decides_the_image_on_both_endpoints()
    {
        // Before the table, style, moderation and input_fidelity changed the identity but were not told.
        var generation = new GenerationRequest { Prompt = "a fox", [BodyFields.Style] = "vivid", [BodyFields.Moderation] = "low" };
        var edit = (EditRequest)Request(BodyEndpoints.Edits);
        edit[BodyFields.InputFidelity] = "high";

        Assert.Contains("style vivid", generation.Describe(Model));
        Assert.Contains("moderation low", generation.Describe(Model));
        Assert.Contains("input_fidelity high", edit.Describe(Model));
    }

    [Fact]
    public async Task Both_bodies_send_the_fields_in_the_table_order()
    {
        var generation = Request(BodyEndpoints.Generations);
        var edit = Request(BodyEndpoints.Edits);
        foreach (var request in new[] { generation, edit })
        {
            request.Count = 2;
            request.PartialImages = 2;
            foreach (var field in BodyFields.For(request is EditRequest ? BodyEndpoints.Edits : BodyEndpoints.Generations).Where(f => !f.Value.IsHeld))
            {
                request[field] = Example(field);
            }
        }
        ChangeHeld["image"](generation, _folder.Path);
        ChangeHeld["mask"](edit, _folder.Path);

        using var json = JsonDocument.Parse(await Body(generation));
        var parts = await Parts(edit);

        Assert.Equal(BodyFields.For(BodyEndpoints.Generations).Select(f => f.Name), json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(BodyFields.For(BodyEndpoints.Edits).Select(f => f.Name), parts.Select(p => p.Name).Distinct());
    }

    /// <summary>A value the row takes, found by asking the row itself: its last choice, a text, or a whole number.</summary>
    private static object Example(BodyField field)
    {
        if (field == BodyFields.Size)
        {
            return "1024x1536";
        }
        var candidates = field.Value.Choices.Select(c => (object)c.Value).Reverse().Concat(new object[] { "example text", 50, 1, 0 });
        return candidates.First(value => Takes(field, value));
    }

    private static bool Takes(BodyField field, object value)
    {
        try
        {
            field.Value.Check(field, value, "");
            return true;
        }
        catch (TuZiImagesException)
        {
            return false;
        }
    }

    /// <summary>A value as -WhatIf shows it: JSON text quoted when not a plain word, numbers bare; multipart parts quoted only when not a plain word.</summary>
    private static string Shown(object value, BodyEndpoints endpoint) =>
        value is string text && (text.Contains(' ') || endpoint == BodyEndpoints.Generations && int.TryParse(text, out _)) ? $"'{text}'" : Text(value);

    private static string Text(object value) => value is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string)value;

    private ImageRequest Request(BodyEndpoints endpoint)
    {
        if (endpoint == BodyEndpoints.Generations)
        {
            return new GenerationRequest { Prompt = "a fox" };
        }
        var edit = new EditRequest { Prompt = "a fox" };
        edit.Images.Add(InputImage.FromFile(TestImages.WritePng(_folder.Path, $"in-{Guid.NewGuid():N}.png")));
        return edit;
    }

    private static async Task<byte[]> Body(ImageRequest request)
    {
        HttpContent content = request.Plan(Model).Content();
        return await content.ReadAsByteArrayAsync();
    }

    /// <summary>The field as the body carries it: JSON text or number, or the multipart text part.</summary>
    private static async Task<string?> SentValue(ImageRequest request, string name)
    {
        if (request is GenerationRequest)
        {
            using var json = JsonDocument.Parse(await Body(request));
            return json.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }
        return (await Parts(request)).Where(p => p.Name == name && p.FileName is null).Select(p => Encoding.UTF8.GetString(p.Data)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<string>> SentFileFields(ImageRequest request)
    {
        if (request is GenerationRequest)
        {
            using var json = JsonDocument.Parse(await Body(request));
            return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).Select(p => p.Name).ToList();
        }
        return (await Parts(request)).Where(p => p.FileName is not null).Select(p => p.Name).ToList();
    }

    private static async Task<List<(string Name, string? FileName, byte[] Data)>> Parts(ImageRequest request)
    {
        var content = request.Plan(Model).Content();
        string boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(content.Headers.ContentType!.ToString()).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(await content.ReadAsByteArrayAsync()));
        var parts = new List<(string, string?, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var data = new MemoryStream();
            await section.Body.CopyToAsync(data);
            parts.Add((disposition.Name.Value!, disposition.FileName.HasValue ? disposition.FileName.Value : null, data.ToArray()));
        }
        return parts;
    }
}
