using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Requests;

/// <summary>
/// The fields that decide which images a request makes, written in one canonical form and hashed: the same request
/// always gives the same hash, so its files can be found again (-SkipExisting). Transport-only fields (response
/// format, user) stay out; input images count by their content, not their names.
/// </summary>
internal sealed class RequestIdentity
{
    private readonly StringBuilder _text = new();

    public void Add(string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        // Length-prefixed, so that no value can run into the next field.
        _text.Append(name).Append('=').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }

    public void Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>A row of the field table: text and numbers as written, files by their content, lists item by item.</summary>
    public void AddValue(string name, object value)
    {
        switch (value)
        {
            case string text:
                Add(name, text);
                break;
            case int number:
                Add(name, number);
                break;
            case InputImage file:
                AddFile(name, file);
                break;
            case ReferenceImage reference:
                if (reference.File is { } referenceFile)
                {
                    AddFile(name, referenceFile);
                }
                else
                {
                    Add(name, reference.Url);
                }
                break;
            case System.Collections.IEnumerable items:
                foreach (object? item in items)
                {
                    if (item is not null)
                    {
                        AddValue(name, item);
                    }
                }
                break;
            default:
                AddJson(name, value);
                break;
        }
    }

    /// <summary>A field of any shape (-AdditionalParameter), as the JSON it is sent as.</summary>
    public void AddJson(string name, object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            AdditionalFieldValues.WriteJson(writer, value);
        }
        Add(name, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A local file, by the SHA-256 of its bytes.</summary>
    public void AddFile(string name, InputImage file) => Add(name, file.Sha256);

    /// <summary>The first eight hex digits of the SHA-256 of everything added.</summary>
    public string Hash()
    {
        using var sha = SHA256.Create();
        return Hex.Lower(sha.ComputeHash(Encoding.UTF8.GetBytes(_text.ToString())), 4);
    }
}
