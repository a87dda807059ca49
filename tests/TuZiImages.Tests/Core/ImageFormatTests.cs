using System.IO;
using System.Text;
using TuZiImages.Core.Imaging;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class ImageFormatTests
{
    [Fact]
    public void Recognises_images_by_their_bytes_not_their_names()
    {
        Assert.Same(ImageFormat.Png, ImageFormat.Sniff(TestImages.Png(1, 1)));
        Assert.Same(ImageFormat.Jpeg, ImageFormat.Sniff(TestImages.JpegHeader(1, 1)));
        Assert.Same(ImageFormat.Gif, ImageFormat.Sniff(Encoding.ASCII.GetBytes("GIF89a\x01\0\x01\0")));
        Assert.Same(ImageFormat.WebP, ImageFormat.Sniff(Encoding.ASCII.GetBytes("RIFF\0\0\0\0WEBPVP8X")));
        Assert.Null(ImageFormat.Sniff(Encoding.ASCII.GetBytes("<html><body>")));
        Assert.Null(ImageFormat.Sniff(new byte[0]));
    }

    [Fact]
    public void Reads_width_and_height_from_the_header()
    {
        Assert.Equal((1536, 1024), ImageDimensions.Read(new MemoryStream(TestImages.Png(1536, 1024)), ImageFormat.Png));
        Assert.Equal((4096, 2304), ImageDimensions.Read(new MemoryStream(TestImages.JpegHeader(4096, 2304)), ImageFormat.Jpeg));
        Assert.Equal((300, 200), ImageDimensions.Read(new MemoryStream(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 44, 1, 200, 0 }), ImageFormat.Gif));
        var webp = new byte[30];
        Encoding.ASCII.GetBytes("RIFF\0\0\0\0WEBPVP8X").CopyTo(webp, 0);
        webp[24] = 0xFF; webp[25] = 0x03; // width - 1 = 1023
        webp[27] = 0x7F; webp[28] = 0x02; // height - 1 = 639
        Assert.Equal((1024, 640), ImageDimensions.Read(new MemoryStream(webp), ImageFormat.WebP));
    }

    [Fact]
    public void A_truncated_header_gives_no_size_rather_than_a_wrong_one()
    {
        Assert.Null(ImageDimensions.Read(new MemoryStream(TestImages.Png(10, 10)[..20]), ImageFormat.Png));
        Assert.Null(ImageDimensions.Read(new MemoryStream(TestImages.JpegHeader(10, 10)[..8]), ImageFormat.Jpeg));
    }
}
