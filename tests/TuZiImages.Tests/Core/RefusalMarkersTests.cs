using TuZiImages.Core.Results;

namespace TuZiImages.Tests.Core;

/// <summary>One list of refusal words, read in both places the service uses them: revised prompts and failed tasks.</summary>
public class RefusalMarkersTests
{
    [Theory]
    [InlineData("NO_IMAGE", true)]
    [InlineData("blocked: PROHIBITED_CONTENT", true)]
    [InlineData("finishReason: SAFETY", true)]
    [InlineData("prompt_blocked", true)]
    [InlineData("content_policy_violation", true)]
    [InlineData("A road safety poster, flat colours", false)] // the user's words echoed back, not a refusal
    [InlineData("a fox with no_image caption", false)]
    [InlineData("A red fox in the snow", false)]
    [InlineData(null, false)]
    public void A_revised_prompt_is_a_refusal_only_when_it_carries_a_marker_as_the_service_writes_it(string? revised, bool refused)
    {
        Assert.Equal(refused, RefusalMarkers.InRevisedPrompt(revised));
    }

    [Theory]
    [InlineData("PROHIBITED_CONTENT: the request was blocked by the safety filter", null, true)]
    [InlineData("Your request was rejected by our safety system", null, true)]
    [InlineData("the model returned no image", "NO_IMAGE", true)]
    [InlineData("blocked", "prompt_blocked", true)]
    [InlineData("Your prompt violates our policy", "content_policy_violation", true)]
    [InlineData("upstream channel error", null, false)]
    [InlineData("upstream channel error", "500", false)]
    [InlineData(null, null, false)]
    public void A_failed_tasks_error_is_a_refusal_when_its_message_or_code_names_one_in_any_case(string? message, string? code, bool refused)
    {
        Assert.Equal(refused, RefusalMarkers.InError(message, code));
    }
}
