using System.Text;
using TuZiImages.Core.Transport;

namespace TuZiImages.Tests.Core;

public class ErrorBodyTests
{
    private static ErrorBody Parse(string text) => ErrorBody.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Reads_the_openai_error_shape()
    {
        var body = Parse("{\"error\":{\"message\":\"Invalid token\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        Assert.Equal("Invalid token", body.Message);
        Assert.Equal("invalid_request_error", body.Type);
        Assert.Equal("invalid_api_key", body.Code);
    }

    [Fact]
    public void Reads_other_gateways_shapes()
    {
        Assert.Equal("busy", Parse("{\"error\":\"busy\"}").Message);
        Assert.Equal("quota", Parse("{\"message\":\"quota\",\"code\":429}").Message);
        Assert.Equal("429", Parse("{\"message\":\"quota\",\"code\":429}").Code);
    }

    [Fact]
    public void A_gateway_page_becomes_a_short_readable_excerpt()
    {
        var body = Parse("<html><head><title>502 Bad Gateway</title><style>body{x:y}</style></head><body><h1>502 Bad   Gateway</h1>\n<p>cloudflare</p></body></html>");
        Assert.Equal("502 Bad Gateway 502 Bad Gateway cloudflare", body.Message);
        Assert.Null(body.Type);

        var long_ = Parse(new string('x', 5000));
        Assert.Equal(300, long_.Message!.Length);
        Assert.EndsWith("...", long_.Message);
    }
}
