using System;
using System.Linq;

namespace TuZiImages.Core.Results;

/// <summary>
/// The words by which the service says the model refused, wherever it says them: in the revised_prompt of a 200
/// answer and in the error of a failed task. One list for both, since either route may pass on any of them:
/// Gemini's finish reasons (NO_IMAGE, PROHIBITED_CONTENT, SAFETY), new-api's prompt_blocked, and OpenAI's
/// content_policy_violation.
/// </summary>
internal static class RefusalMarkers
{
    private static readonly string[] Markers = { "NO_IMAGE", "PROHIBITED_CONTENT", "SAFETY", "prompt_blocked", "content_policy" };

    /// <summary>An error is the service's own text: a marker in any case counts ("blocked by the safety filter").</summary>
    public static bool InError(string? message, string? code) => Markers.Any(m => Mentions(message, m, StringComparison.OrdinalIgnoreCase)
        || Mentions(code, m, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A revised prompt echoes the user's own words ("a road safety poster"), so only a marker written as the
    /// service writes it counts.
    /// </summary>
    public static bool InRevisedPrompt(string? revisedPrompt) => Markers.Any(m => Mentions(revisedPrompt, m, StringComparison.Ordinal));

    private static bool Mentions(string? text, string marker, StringComparison comparison) =>
        text is not null && text.IndexOf(marker, comparison) >= 0;
}
