using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>The faults that change how a successful answer writes its images and its time, and what it records of them.</summary>
internal static class ImageFaults
{
    /// <summary>Applies <see cref="FaultSpec.WrapBase64"/> and <see cref="FaultSpec.BadBase64"/> to an item that carries base64.</summary>
    public static ResponseItem Shape(ResponseItem item, FaultSpec? fault)
    {
        if (fault is null || item.Payload is null)
        {
            return item;
        }

        item.LineLength = fault.WrapBase64;
        item.LineBreak = fault.WrapBase64With ?? item.LineBreak;
        item.Corrupt = fault.BadBase64;
        return item;
    }

    public static long Created(FaultSpec? fault) =>
        fault is { CreatedInMilliseconds: true } ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Records the hash of the image each item carries or links to, so a test can check what a client saved.</summary>
    public static void Record(RecordedRequest record, IReadOnlyList<ResponseItem> items, byte[]? image)
    {
        if (image is null)
        {
            return;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(image));
        foreach (ResponseItem item in items)
        {
            if (item.Payload is not null || item.Prefix.StartsWith("http", StringComparison.Ordinal))
            {
                record.ImageSha256.Add(hash);
            }
        }
    }

    /// <summary>The whole body, announced by its length, in eight pieces with a pause before each after the first.</summary>
    public static async Task WriteSlowlyAsync(HttpContext context, byte[] body, int pauseMs, CancellationToken cancellation)
    {
        context.Response.ContentLength = body.Length;
        int piece = Math.Max(1, (body.Length + 7) / 8);
        for (int offset = 0; offset < body.Length; offset += piece)
        {
            if (offset > 0)
            {
                await Task.Delay(pauseMs, cancellation);
            }

            await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)), cancellation);
            await context.Response.Body.FlushAsync(cancellation);
        }
    }
}
