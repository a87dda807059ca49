namespace TuZiImages.Core.Bodies;

/// <summary>Whether a field decides the image, and so goes into the identity hash that -SkipExisting names carry.</summary>
public enum FieldIdentity
{
    /// <summary>How the answer comes, not what it shows (response_format, user, previews).</summary>
    None,
    /// <summary>Hashed in table order, before the -AdditionalParameter fields.</summary>
    Decides,
    /// <summary>
    /// Hashed after the -AdditionalParameter fields, where these were first hashed; moving them would rename every
    /// file saved before. Either place keeps old names for a new field, which older requests never had.
    /// </summary>
    DecidesAfterExtras,
}
