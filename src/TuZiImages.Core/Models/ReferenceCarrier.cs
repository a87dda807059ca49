namespace TuZiImages.Core.Models;

/// <summary>How a route carries reference images (and the images of an edit).</summary>
public enum ReferenceCarrier
{
    /// <summary>The JSON body's <c>image</c> array: local files as data URLs, URLs as given.</summary>
    JsonImageArray,
    /// <summary>One multipart <c>image</c> file part each; a URL cannot go.</summary>
    ImageParts,
    /// <summary>One multipart <c>input_reference</c> file part each (the task API); a URL cannot go.</summary>
    InputReferenceParts,
    /// <summary>http(s) URLs at the start of the prompt, separated by spaces (FLUX); a local file cannot go.</summary>
    PromptUrls,
    /// <summary>None at all: the model takes no images.</summary>
    None,
}
