using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Saving;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class FileSavingTests
{
    private static PendingFile WriteImage(SaveSession session, byte[] bytes)
    {
        var file = session.CreatePending();
        file.Stream.Write(bytes);
        SaveSession.Finish(file, bytes.AsSpan(0, Math.Min(bytes.Length, ImageFormat.SniffLength)));
        return file;
    }

    [Theory]
    [InlineData("A red fox, at dawn!", "a-red-fox-at-dawn")]
    [InlineData("  ", "image")]
    [InlineData("一只狐狸 in snow", "一只狐狸-in-snow")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    public void Prompts_become_safe_file_stems(string prompt, string stem)
    {
        Assert.Equal(stem, FileNaming.Slug(prompt));
    }

    [Fact]
    public void Names_take_their_extension_from_the_bytes_and_number_several_images()
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path, "fox"), DateTime.Now);

        string single = session.Commit(WriteImage(session, TestImages.Png(2, 2)), 0, 1);
        string first = session.Commit(WriteImage(session, TestImages.JpegHeader(2, 2)), 0, 2);
        string second = session.Commit(WriteImage(session, TestImages.Png(2, 2)), 1, 2);

        Assert.Equal(new[] { "fox-1.jpg", "fox-2.png", "fox.png" }, folder.FileNames());
        Assert.Equal(folder.Combine("fox.png"), single);
        Assert.Equal(folder.Combine("fox-1.jpg"), first);
        Assert.Equal(folder.Combine("fox-2.png"), second);
    }

    [Fact]
    public void An_existing_file_is_never_overwritten_unless_asked()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("fox.png"), "precious");
        using (var session = new SaveSession(SaveOptions.ToDirectory(folder.Path, "fox"), DateTime.Now))
        {
            Assert.Equal(folder.Combine("fox_2.png"), session.Commit(WriteImage(session, TestImages.Png(2, 2)), 0, 1));
        }
        Assert.Equal("precious", File.ReadAllText(folder.Combine("fox.png")));

        var toFile = SaveOptions.ToFile(folder.Combine("fox.png"));
        var refused = Assert.Throws<TuZiImagesException>(() => toFile.Validate());
        Assert.Equal(TuZiErrorKind.InvalidInput, refused.Kind);
        Assert.Contains("-Force", refused.RecommendedAction);

        var overwrite = SaveOptions.ToFile(folder.Combine("fox.png"));
        overwrite.Overwrite = true;
        overwrite.Validate();
        var png = TestImages.Png(3, 3);
        using (var session = new SaveSession(overwrite, DateTime.Now))
        {
            Assert.Equal(folder.Combine("fox.png"), session.Commit(WriteImage(session, png), 0, 1));
        }
        Assert.Equal(png, File.ReadAllBytes(folder.Combine("fox.png")));
    }

    [Fact]
    public void An_exact_file_name_is_kept_and_a_missing_extension_supplied()
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToFile(folder.Combine("poster")), DateTime.Now);

        Assert.Equal(folder.Combine("poster.jpg"), session.Commit(WriteImage(session, TestImages.JpegHeader(2, 2)), 0, 1));
        using var second = new SaveSession(SaveOptions.ToFile(folder.Combine("cover.png")), DateTime.Now);
        Assert.Equal(folder.Combine("cover-2.png"), second.Commit(WriteImage(second, TestImages.Png(2, 2)), 1, 2));
    }

    [Fact]
    public async Task Requests_saving_at_the_same_time_under_the_same_name_all_keep_their_image()
    {
        using var folder = new TempDirectory();
        var saves = Enumerable.Range(0, 24).Select(i => Task.Run(() =>
        {
            using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path, "batch"), DateTime.Now);
            return session.Commit(WriteImage(session, TestImages.Png(2, 2, (byte)i)), 0, 1);
        }));

        var paths = await Task.WhenAll(saves);

        Assert.Equal(24, paths.Distinct().Count());
        Assert.Equal(24, folder.FileNames().Length);
        // Each request wrote a different image: none replaced another's.
        Assert.Equal(24, paths.Select(p => Convert.ToBase64String(File.ReadAllBytes(p))).Distinct().Count());
    }

    [Fact]
    public void Uncommitted_files_are_deleted_and_committed_ones_stay()
    {
        using var folder = new TempDirectory();
        using (var session = new SaveSession(SaveOptions.ToDirectory(folder.Path, "keep"), DateTime.Now))
        {
            session.Commit(WriteImage(session, TestImages.Png(2, 2)), 0, 1);
            WriteImage(session, TestImages.Png(2, 2));
            Assert.Equal(2, folder.FileNames().Length);
        }
        Assert.Equal(new[] { "keep.png" }, folder.FileNames());
    }

    [Fact]
    public void An_output_directory_is_created_and_an_output_file_needs_an_existing_folder()
    {
        using var folder = new TempDirectory();
        SaveOptions.ToDirectory(folder.Combine("new", "nested")).Validate();
        Assert.True(Directory.Exists(folder.Combine("new", "nested")));

        var e = Assert.Throws<TuZiImagesException>(() => SaveOptions.ToFile(folder.Combine("nowhere", "x.png")).Validate());
        Assert.Contains("does not exist", e.Message);
    }
}
