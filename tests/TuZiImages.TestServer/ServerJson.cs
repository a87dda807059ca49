using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TuZiImages.TestServer;

internal static class ServerJson
{
    /// <summary>camelCase, case-insensitive on input; indented because people read the control endpoints.</summary>
    public static readonly JsonSerializerOptions Control = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For API error bodies: compact like the real service, nulls kept (OpenAI sends "param": null).</summary>
    public static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
