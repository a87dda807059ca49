using TuZiImages.Core.Errors;

namespace TuZiImages.Tests.Core;

/// <summary>The key leaves every text from outside where it can be a secret, and nothing else is garbled.</summary>
public class KeyRedactionTests
{
    private const string RealKey = "sk-Zq4mB8xR2tLw9YcN6vHd3KpJ7sFa1GeU5oTi0rXb";

    [Fact]
    public void A_short_key_no_longer_garbles_the_words_it_occurs_in()
    {
        const string message = "The service refused the API key (HTTP 401): Invalid token.";
        Assert.Equal(message, KeyRedaction.Redact(message, "k"));
        Assert.Equal(message, KeyRedaction.Redact(message, "ke"));
        Assert.Equal(message, KeyRedaction.Redact(message, "oken"));
    }

    [Fact]
    public void A_short_key_that_stands_alone_is_still_removed()
    {
        Assert.Equal("Invalid token: ***.", KeyRedaction.Redact("Invalid token: test.", "test"));
        Assert.Equal("key=*** rejected", KeyRedaction.Redact("key=test rejected", "test"));
        Assert.Equal("testing the test_key, not ***", KeyRedaction.Redact("testing the test_key, not test", "test"));
    }

    [Fact]
    public void A_real_length_key_is_removed_wherever_it_is_even_inside_a_longer_word()
    {
        Assert.Equal("Bearer *** rejected", KeyRedaction.Redact("Bearer " + RealKey + " rejected", RealKey));
        Assert.Equal("https://cdn.example/img.png?sig=***&x=1", KeyRedaction.Redact("https://cdn.example/img.png?sig=" + RealKey + "&x=1", RealKey));
        Assert.Equal("x***y and ***", KeyRedaction.Redact("x" + RealKey + "y and " + RealKey, RealKey));
    }

    [Fact]
    public void A_middle_length_key_inside_a_longer_word_is_left_there_and_removed_where_whole()
    {
        const string key = "abc123def";
        Assert.Equal("id xabc123defx, ***", KeyRedaction.Redact("id xabc123defx, abc123def", key));
    }

    [Fact]
    public void Nothing_to_redact_leaves_the_text_as_it_is()
    {
        Assert.Equal("plain", KeyRedaction.Redact("plain", null));
        Assert.Equal("plain", KeyRedaction.Redact("plain", ""));
        Assert.Equal("", KeyRedaction.Redact("", RealKey));
        Assert.Equal("no key here", KeyRedaction.Redact("no key here", RealKey));
    }
}
