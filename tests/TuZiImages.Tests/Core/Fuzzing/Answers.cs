using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace TuZiImages.Tests.Core.Fuzzing;

/// <summary>One generated answer and how it reaches the reader: rendered from a seed, read in chunks from another.</summary>
internal sealed record AnswerCase(J Answer, int RenderSeed, int ChunkSeed, int MaxChunk)
{
    public byte[] Bytes() => Encoding.UTF8.GetBytes(JsonRenderer.Render(Answer, RenderSeed));

    public override string ToString() => $"chunks of 1..{MaxChunk} (seed {ChunkSeed}), rendered with seed {RenderSeed}: {Printable.Of(Bytes())}";
}

/// <summary>A generated answer, then broken: each mutation is a kind, a place (modulo the length) and a value.</summary>
internal sealed record MutatedCase(AnswerCase Source, (int Kind, int Place, int Value)[] Mutations)
{
    public byte[] Bytes() => Mutator.Apply(Source.Bytes(), Mutations);

    public override string ToString() =>
        $"mutations [{string.Join(", ", Mutations.Select(m => $"{Mutator.Names[m.Kind]}@{m.Place}/{m.Value}"))}] of {Source}; mutated: {Printable.Of(Bytes())}";
}

/// <summary>Random answers of the images API, valid JSON all: every shape the reader has to take.</summary>
internal static class Answers
{
    private static readonly string[] Spaces = { " ", "\n", "\r\n", "\t", "  \n" };

    public static readonly Gen<string> Text =
        Gen.OneOf(
            Gen.Char.AlphaNumeric.Array[0, 8].Select(c => new string(c)),
            Gen.OneOf("\"", "\\", "/", "\n", "\r\n", "\t", "\b", "\f", "\u0001", "\u001f", "\0", "\u007f", "é", "中文", "🦊",
                " ", "\u2028", "\u00a0", "NO_IMAGE", "a fox, \"red\"", "\\u0041", "https://x/"))
        .Array[0, 6].Select(string.Concat);

    private static readonly Gen<string> UnknownName =
        Gen.OneOf("usage", "model", "id", "object", "b64", "URL", "data ", "urls", "created_at", "errors", "é", "", "x\"y", "revised", "B64_JSON");

    private static readonly Gen<J> Leaf = Gen.OneOf<J>(
        Gen.Const(J.Null), Gen.Const(J.True), Gen.Const(J.False),
        Gen.Int.Select(i => J.Num(i.ToString(CultureInfo.InvariantCulture))),
        Gen.OneOf("0", "-0", "1.5e3", "-2.25E-7", "1e400", "-1e400", "123456789012345678901234567890", "0.000000001",
            new string('9', 100), "1" + new string('0', 300) + "e-2").Select(J.Num),
        Text.Select(J.Str));

    /// <summary>Members nobody asked for: every JSON type, nested.</summary>
    public static readonly Gen<J> Unknown = Gen.Recursive<J>((depth, self) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, self.Array[0, 3].Select(items => J.Arr(items))),
            (1, Gen.Select(UnknownName, self).Array[0, 3].Select(members => J.Obj(members)))));

    /// <summary>Base64 of random bytes as servers write it: padded or not, URL-safe or not, wrapped or spaced.</summary>
    public static readonly Gen<string> Base64 =
        Gen.Select(
            Gen.Frequency((150, Gen.Byte.Array[0, 200]), (1, Gen.Int[50_000, 100_000].Select(n => Bytes(n)))),
            Gen.Int[0, 5],
            Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, Spaces.Length - 1]).Array[0, 4],
            (bytes, style, spaces) =>
            {
                string text = style == 4 ? Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks) : Convert.ToBase64String(bytes);
                if (style is 2 or 3)
                {
                    text = text.Replace('+', '-').Replace('/', '_');
                }
                if (style is 1 or 3)
                {
                    text = text.TrimEnd('=');
                }
                foreach (var (place, space) in spaces.OrderByDescending(s => s.Item1 % (text.Length + 1)))
                {
                    text = text.Insert(place % (text.Length + 1), Spaces[space]);
                }
                return text;
            });

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static readonly Gen<string> HttpUrl =
        Gen.Select(Gen.OneOf("https://", "http://", "HTTPS://"), Gen.Char.AlphaNumeric.Array[1, 12].Select(c => new string(c)), Gen.Bool,
            (scheme, path, trailingSpace) => $"{scheme}results.example/{path}.png?sig={path}&x=1/2" + (trailingSpace ? " " : ""));

    private static readonly Gen<string> DataUrl =
        Gen.Select(Gen.OneOf("data:image/png;base64,", "DATA:image/jpeg;BASE64,", "data:;base64,", "data:image/webp;name=a;base64,"), Base64,
            (header, base64) => header + base64);

    private static readonly Gen<(string, J)> ItemMember = Gen.Frequency(
        (4, Base64.Select(b => ("b64_json", J.Str(b)))),
        (2, HttpUrl.Select(u => ("url", J.Str(u)))),
        (2, DataUrl.Select(u => ("url", J.Str(u)))),
        (2, Base64.Select(b => ("url", J.Str(b)))),
        (3, Text.Select(t => ("revised_prompt", J.Str(t)))),
        (1, Gen.OneOf(("b64_json", J.Null), ("url", J.Num("5")), ("url", J.Null), ("revised_prompt", J.Null), ("b64_json", J.Obj()))),
        (2, Gen.Select(UnknownName, Unknown)));

    private static readonly Gen<J> Item = Gen.Frequency(
        (20, ItemMember.Array[0, 4].Select(members => J.Obj(members))),
        (1, Gen.OneOf(J.Null, J.Str("x"), J.Arr())));

    public static readonly Gen<J> Created = Gen.OneOf(
        Gen.Long[1_000_000_000, 2_000_000_000].Select(s => J.Num(s.ToString(CultureInfo.InvariantCulture))),
        Gen.Long[1_000_000_000_000, 2_000_000_000_000].Select(ms => J.Num(ms.ToString(CultureInfo.InvariantCulture))),
        Gen.Select(Gen.Long[1_000_000_000, 2_000_000_000], Gen.Int[0, 999], (s, f) => J.Num($"{s}.{f:000}")),
        Gen.Long[1_000_000_000, 2_000_000_000].Select(s => J.Str(s.ToString(CultureInfo.InvariantCulture))),
        Gen.OneOf(J.Num("1.7e9"), J.Num("1.7E12"), J.Num("1e999999"), J.Num("-1e400"), J.Num("0"), J.Num("-1700000000"),
            J.Num(new string('7', 80)), J.Null, J.True, J.Str("soon"), J.Str(""), J.Obj(), J.Arr(J.Num("1"))));

    public static readonly Gen<J> Error = Gen.OneOf(
        Gen.OneOf(J.Null, J.False, J.True, J.Str(""), J.Arr(), J.Obj(), J.Num("500"), J.Arr(J.Str("busy"))),
        Text.Select(J.Str),
        Gen.Select(
            Gen.OneOf(Text.Select(J.Str), Gen.Const(J.Null)),
            Gen.OneOf(Gen.OneOf("invalid_request_error", "server_error", "").Select(J.Str), Gen.Const(J.Null)),
            Gen.OneOf(J.Null, J.True, J.Num("429"), J.Num("1e400"), J.Str("quota"), J.Str(""), J.Obj()),
            Gen.Bool,
            (message, type, code, param) => param
                ? J.Obj(("message", message), ("type", type), ("param", J.Null), ("code", code))
                : J.Obj(("code", code), ("message", message), ("type", type))));

    /// <summary>A whole answer: its members in any order, some missing, some twice, some unknown.</summary>
    public static readonly Gen<J> Answer =
        Gen.Select(
            Created.Array[0, 2],
            Gen.Frequency((12, Item.Array[0, 3].Select(items => J.Arr(items))), (1, Gen.OneOf(J.Null, J.Obj(), J.Str("")))).Array[0, 2],
            Error.Array[0, 1],
            Gen.Select(UnknownName, Unknown).Array[0, 3],
            Gen.Int,
            (created, data, error, unknown, order) =>
            {
                var members = new List<(string, J)>();
                members.AddRange(created.Select(c => ("created", c)));
                members.AddRange(data.Select(d => ("data", d)));
                members.AddRange(error.Select(e => ("error", e)));
                members.AddRange(unknown);
                var random = new Random(order);
                return J.Obj(members.OrderBy(_ => random.Next()).ToArray());
            });

    public static readonly Gen<AnswerCase> Case =
        Gen.Select(Answer, Gen.Int, Gen.Int, Gen.OneOf(1, 2, 3, 7, 64, 1000, 70_000), (answer, render, chunks, max) => new AnswerCase(answer, render, chunks, max));

    public static readonly Gen<MutatedCase> Mutated =
        Gen.Select(Case, Gen.Select(Gen.Int[0, Mutator.Names.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 255]).Array[1, 3],
            (source, mutations) => new MutatedCase(source, mutations));
}

/// <summary>The ways an answer gets broken on its way: cut short, bit rot, bytes lost or added, hostile content.</summary>
internal static class Mutator
{
    public static readonly string[] Names =
    {
        "truncate", "flip-bit", "replace-byte", "insert-byte", "delete-range", "deep-nesting", "huge-number",
        "invalid-utf8", "nul", "bom", "duplicate-range", "insert-token",
    };

    private static readonly byte[][] InvalidUtf8 = { new byte[] { 0xC3, 0x28 }, new byte[] { 0xFF }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF0, 0x9F, 0xA6 }, new byte[] { 0x80 } };
    private static readonly string Tokens = "\"\\{}[],:= \n-+.e0";

    public static byte[] Apply(byte[] source, (int Kind, int Place, int Value)[] mutations)
    {
        var bytes = new List<byte>(source);
        foreach (var (kind, place, value) in mutations)
        {
            int at = place % (bytes.Count + 1);
            switch (kind)
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case 2 when at < bytes.Count:
                    bytes[at] = (byte)value;
                    break;
                case 3:
                    bytes.Insert(at, (byte)value);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(1 + value % 16, bytes.Count - at));
                    break;
                case 5:
                    string open = value % 2 == 0 ? "[" : "{\"a\":";
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(open, 10 + value * 40))));
                    break;
                case 6:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(value % 3 == 0 ? "-1e999999" : "1" + new string('0', 10 + value * 20)));
                    break;
                case 7:
                    bytes.InsertRange(at, InvalidUtf8[value % InvalidUtf8.Length]);
                    break;
                case 8:
                    bytes.Insert(at, 0);
                    break;
                case 9:
                    bytes.InsertRange(value % 2 == 0 ? 0 : at, new byte[] { 0xEF, 0xBB, 0xBF });
                    break;
                case 10:
                    int length = Math.Min(1 + value * 4, bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 11:
                    bytes.Insert(at, (byte)Tokens[value % Tokens.Length]);
                    break;
            }
        }
        return bytes.ToArray();
    }
}

/// <summary>Bytes as a C#-ish string a person can read and paste: ASCII as is, the rest escaped, long runs cut.</summary>
internal static class Printable
{
    public static string Of(byte[] bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, 4000));
        foreach (byte b in bytes.Take(3000))
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                < 0x20 or >= 0x7F => $"\\x{b:X2}",
                _ => ((char)b).ToString(),
            });
        }
        return bytes.Length > 3000 ? text + $"... ({bytes.Length} bytes)" : text.ToString();
    }
}
