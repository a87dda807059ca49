using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.EngineTests.Families;

/// <summary>
/// What the service's own client and wiki say each family takes (the spec README, "Model families" and the notes
/// below it), written here apart from the module's table so that a wrong row fails a test. Keyed by the table's
/// family names; a row the spec says nothing of (a trial row) is checked against what the row itself claims.
/// </summary>
internal static class ServiceDialect
{
    /// <summary>A parameter that sets a body field, a value every family that takes it takes, and what goes on the wire.</summary>
    internal sealed record FieldParameter(string Parameter, string Value, bool EditOnly, params (string Name, string Value)[] Wire)
    {
        public string Argument => $"-{Parameter} {Value}";
    }

    /// <summary>Every parameter that sets a body field beyond the model, prompt, size, quality and images.</summary>
    public static readonly FieldParameter[] Parameters =
    {
        new("Count", "2", false, ("n", "2")),
        new("ResponseFormat", "b64_json", false, ("response_format", "b64_json")),
        new("User", "ops", false, ("user", "ops")),
        new("Style", "vivid", false, ("style", "vivid")),
        new("Background", "opaque", false, ("background", "opaque")),
        new("Moderation", "low", false, ("moderation", "low")),
        new("OutputFormat", "png", false, ("output_format", "png")),
        new("OutputCompression", "80", false, ("output_compression", "80")),
        new("PartialImages", "1", false, ("stream", "true"), ("partial_images", "1")),
        new("Seed", "42", false, ("seed", "42")),
        new("InputFidelity", "high", true, ("input_fidelity", "high")),
    };

    private static readonly string[] ImagesApi = { "Count", "ResponseFormat", "User" };
    private static readonly string[] GptImage = ImagesApi.Concat(new[] { "Background", "Moderation", "OutputFormat", "OutputCompression", "PartialImages", "InputFidelity" }).ToArray();
    private static readonly string[] Seedream = ImagesApi.Concat(new[] { "Seed" }).ToArray();

    /// <summary>The parameters of <see cref="Parameters"/> each family takes; the rest it refuses before sending.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Takes = new Dictionary<string, string[]>
    {
        ["Gemini 3 Pro"] = ImagesApi,
        ["Gemini 3.1 Flash"] = ImagesApi,
        ["Gemini, fixed resolution"] = ImagesApi,
        ["Gemini 3.1 Flash, fixed resolution"] = ImagesApi,
        ["gpt-image-1"] = GptImage,
        ["gpt-image-1.5"] = GptImage,
        ["gpt-image-2"] = GptImage,
        ["dall-e-3"] = ImagesApi.Concat(new[] { "Style" }).ToArray(),
        ["Seedream 5.0"] = Seedream,
        ["Seedream 4.5"] = Seedream,
        ["Seedream 4.0"] = Seedream,
        ["Seedream 3.0"] = Seedream,
        // aspect_ratio, output_format jpeg/png, seed; no size, no quality.
        ["FLUX"] = ImagesApi.Concat(new[] { "OutputFormat", "Seed" }).ToArray(),
        // POST /v1/videos: model, prompt, size, input_reference parts; nothing else.
        ["async (task API)"] = new string[0],
        ["SeedEdit 3.0 (removed)"] = new string[0],
    };

    /// <summary>Where each operation goes, and how its images ride ("refused" when they cannot).</summary>
    internal sealed record Routes(string Generate, string GenerateWithFile, string GenerateWithUrl, string Edit);

    public const string Generations = "/v1/images/generations";
    public const string Edits = "/v1/images/edits";
    public const string Tasks = "/v1/videos";
    public const string Refused = "refused";

    // Carriers: "json" the JSON image array (data URLs, URLs as given), "parts" multipart image parts, "input_reference"
    // the task API's parts, "prompt" URLs at the start of the prompt.
    private static readonly Routes ImagesJson = new(Generations, Generations + " json", Generations + " json", Edits + " parts");
    private static readonly Routes OpenAI = new(Generations, Edits + " parts", Refused, Edits + " parts");
    private static readonly Routes NoImages = new(Generations, Refused, Refused, Refused);

    public static readonly IReadOnlyDictionary<string, Routes> Carriers = new Dictionary<string, Routes>
    {
        ["Gemini 3 Pro"] = ImagesJson,
        ["Gemini 3.1 Flash"] = ImagesJson,
        ["Gemini, fixed resolution"] = ImagesJson,
        ["Gemini 3.1 Flash, fixed resolution"] = ImagesJson,
        ["gpt-image-1"] = OpenAI,
        ["gpt-image-1.5"] = OpenAI,
        ["gpt-image-2"] = OpenAI,
        ["dall-e-3"] = NoImages,
        ["Seedream 5.0"] = ImagesJson,
        ["Seedream 4.5"] = ImagesJson,
        ["Seedream 4.0"] = ImagesJson,
        ["Seedream 3.0"] = NoImages,
        ["FLUX"] = new(Generations, Refused, Generations + " prompt", Refused),
        ["async (task API)"] = new(Tasks, Tasks + " input_reference", Refused, Tasks + " input_reference"),
        ["SeedEdit 3.0 (removed)"] = new(Refused, Refused, Refused, Refused),
    };

    /// <summary>A name newer than the table for each family: it resembles the family and is not one it lists.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewerVersion = new Dictionary<string, string>
    {
        ["Gemini 3 Pro"] = "gemini-3.5-pro-image-preview",
        ["Gemini 3.1 Flash"] = "gemini-3.5-flash-image-preview",
        ["Gemini, fixed resolution"] = "gemini-3.5-pro-image-preview-4k",
        ["Gemini 3.1 Flash, fixed resolution"] = "gemini-3.1-flash-image-preview-2k-vip",
        ["gpt-image-1"] = "gpt-image-1-nano",
        ["gpt-image-1.5"] = "gpt-image-1.5-mini",
        ["gpt-image-2"] = "gpt-image-2.5",
        ["dall-e-3"] = "dall-e-3-hd",
        ["Seedream 5.0"] = "doubao-seedream-6-0-270101",
        ["Seedream 4.5"] = "doubao-seedream-4-5-260101",
        ["Seedream 4.0"] = "doubao-seedream-4-0-260101",
        ["Seedream 3.0"] = "doubao-seedream-3-0-t2i-260101",
        ["FLUX"] = "bfl-flux-2-flex",
        ["async (task API)"] = "gemini-3.5-pro-image-preview-async",
    };
}
