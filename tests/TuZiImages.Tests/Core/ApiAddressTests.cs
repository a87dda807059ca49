using System;
using TuZiImages.Core.Transport;

namespace TuZiImages.Tests.Core;

/// <summary>The one /v1 rule, which both the endpoints and the model list's key per service follow.</summary>
public class ApiAddressTests
{
    [Theory]
    [InlineData("https://api.tu-zi.com", "https://api.tu-zi.com", "https://api.tu-zi.com/v1/models")]
    [InlineData("https://api.tu-zi.com/", "https://api.tu-zi.com", "https://api.tu-zi.com/v1/models")]
    [InlineData("https://api.tu-zi.com/v1", "https://api.tu-zi.com", "https://api.tu-zi.com/v1/models")]
    [InlineData("https://api.tu-zi.com/v1/", "https://api.tu-zi.com", "https://api.tu-zi.com/v1/models")]
    [InlineData("https://api.tu-zi.com/V1", "https://api.tu-zi.com", "https://api.tu-zi.com/V1/models")]
    [InlineData("https://proxy.example/tuzi/", "https://proxy.example/tuzi", "https://proxy.example/tuzi/v1/models")]
    [InlineData("https://proxy.example/tuzi/v1?x=1", "https://proxy.example/tuzi", "https://proxy.example/tuzi/v1/models")]
    [InlineData("https://proxy.example/v1beta", "https://proxy.example/v1beta", "https://proxy.example/v1beta/v1/models")]
    public void A_trailing_v1_is_the_same_service_and_is_not_doubled(string baseAddress, string service, string models)
    {
        var address = new ApiAddress(new Uri(baseAddress));

        Assert.Equal(service, address.Service);
        Assert.Equal(new Uri(models), address.EndpointFor("/v1/models"));
    }
}
