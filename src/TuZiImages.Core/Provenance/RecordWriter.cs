using System;
using System.IO;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// Writes an image's record while it is still under its hidden temporary name: into the image (a rewritten copy,
/// through a bounded buffer), or into an XMP sidecar after the move when the image must stay as served: it carries
/// Content Credentials, whose signature covers its bytes, or it is a GIF, which has no place other tools agree on.
/// A record never costs an image: whatever goes wrong, the image is saved as served and the user is told.
/// </summary>
internal static class RecordWriter
{
    /// <summary>Before the move: embeds the record into <paramref name="file"/>, or notes that a sidecar is wanted.</summary>
    /// <returns>The sidecar's packet, or null when none is to be written.</returns>
    public static byte[]? BeforeMove(SaveSession session, PendingFile file, ImageRecord record, MetadataMode mode)
    {
        string name = file.Format?.Name ?? "image";
        try
        {
            var container = ImageContainer.For(file.Format);
            var scan = ImageContainer.ScanFile(file.TempPath, file.Format);
            file.HasContentCredentials = scan?.HasContentCredentials ?? false;
            if (mode == MetadataMode.Sidecar)
            {
                return XmpRecord.Write(record, null);
            }
            if (container is null || scan!.HasContentCredentials)
            {
                file.RecordNote = container is null
                    ? $"The {name} image's record is in an XMP sidecar: {name} has no place for it that other tools agree on."
                    : $"The {name} image carries Content Credentials (C2PA), whose signature covers its bytes: it is saved as served, and its record is in an XMP sidecar.";
                return XmpRecord.Write(record, null);
            }
            if (scan.Problem is { } problem)
            {
                file.RecordWarning = $"The record of the {name} image could not be written into it: {problem}. The image is saved as the service sent it.";
                return null;
            }
            byte[] xmp = XmpRecord.Write(record, scan.Xmp);
            if (container.CannotHold(xmp) is { } tooLarge)
            {
                file.RecordWarning = $"The record of the {name} image could not be written into it: {tooLarge}. The image is saved as the service sent it.";
                return null;
            }
            var rewritten = session.CreatePending();
            using (var source = ImageContainer.OpenRead(file.TempPath))
            {
                container.Write(source, rewritten.Stream, scan, record, xmp);
            }
            SaveSession.Finish(rewritten, default);
            file.TakeContents(rewritten);
            TryDelete(rewritten.TempPath);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Deliberately broad: an image the service made and billed must reach its final name whatever its
            // metadata looks like (unreadable XMP, a chunk layout no one expected); the warning names the cause.
            file.RecordWarning = $"The record of the {name} image could not be written: {e.Message} The image is saved as the service sent it.";
            return null;
        }
    }

    /// <summary>After the move: the sidecar beside the image (fox.xmp for fox.png), never replacing a file unless asked.</summary>
    public static void WriteSidecar(SaveSession session, PendingFile image, byte[] packet, bool overwrite)
    {
        string path = Sidecar.PathFor(image.FinalPath!);
        try
        {
            var pending = session.CreatePending();
            pending.Stream.Write(packet, 0, packet.Length);
            SaveSession.Finish(pending, default);
            if (!SaveSession.MoveExact(pending, path, overwrite))
            {
                image.RecordWarning = $"The record of '{image.FinalPath}' was not written: its sidecar '{path}' already exists. Use -Force to replace it.";
                image.RecordNote = null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            image.RecordWarning = $"The record of '{image.FinalPath}' could not be written to its sidecar '{path}': {e.Message}";
            image.RecordNote = null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The session deletes it when it ends.
        }
    }
}
