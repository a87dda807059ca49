using System.Management.Automation;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>The one place ErrorRecords are made, so ids and categories stay stable and consistent.</summary>
internal static class ErrorRecords
{
    /// <summary>PowerShell 7's error view prints RecommendedAction; Windows PowerShell's shows only the message.</summary>
    private static readonly bool ViewShowsRecommendation = typeof(PSObject).Assembly.GetName().Version.Major >= 7;

    public static ErrorRecord From(TuZiImagesException e)
    {
        bool appendAction = e.RecommendedAction is not null && !ViewShowsRecommendation && !e.Message.Contains(e.RecommendedAction);
        var record = new ErrorRecord(e, "TuZiImages." + Id(e.Kind), Category(e.Kind), e.Target)
        {
            ErrorDetails = new ErrorDetails(appendAction ? e.Message + " " + e.RecommendedAction : e.Message)
            {
                RecommendedAction = e.RecommendedAction ?? "",
            },
        };
        return record;
    }

    /// <summary>Stable error ids: scripts match on these, so they never change once released.</summary>
    internal static string Id(TuZiErrorKind kind) => kind switch
    {
        TuZiErrorKind.Authentication => "AuthenticationFailed",
        TuZiErrorKind.PermissionOrQuota => "PermissionOrQuota",
        TuZiErrorKind.RateLimit => "RateLimited",
        TuZiErrorKind.BadRequest => "BadRequest",
        TuZiErrorKind.Server => "ServerError",
        TuZiErrorKind.Timeout => "Timeout",
        TuZiErrorKind.Network => "NetworkError",
        TuZiErrorKind.ContentRefused => "ContentRefused",
        TuZiErrorKind.NoImage => "NoImage",
        TuZiErrorKind.MalformedResponse => "MalformedResponse",
        TuZiErrorKind.InvalidInput => "InvalidInput",
        TuZiErrorKind.FileSystem => "FileSystemError",
        TuZiErrorKind.Configuration => "InvalidConfiguration",
        TuZiErrorKind.DependencyConflict => "DependencyConflict",
        TuZiErrorKind.BudgetReached => "BudgetReached",
        _ => kind.ToString(),
    };

    internal static ErrorCategory Category(TuZiErrorKind kind) => kind switch
    {
        TuZiErrorKind.Authentication => ErrorCategory.AuthenticationError,
        TuZiErrorKind.PermissionOrQuota => ErrorCategory.PermissionDenied,
        TuZiErrorKind.RateLimit => ErrorCategory.LimitsExceeded,
        TuZiErrorKind.BadRequest => ErrorCategory.InvalidArgument,
        TuZiErrorKind.Server => ErrorCategory.ResourceUnavailable,
        TuZiErrorKind.Timeout => ErrorCategory.OperationTimeout,
        TuZiErrorKind.Network => ErrorCategory.ConnectionError,
        TuZiErrorKind.ContentRefused => ErrorCategory.InvalidResult,
        TuZiErrorKind.NoImage => ErrorCategory.InvalidResult,
        TuZiErrorKind.MalformedResponse => ErrorCategory.ProtocolError,
        TuZiErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
        TuZiErrorKind.FileSystem => ErrorCategory.WriteError,
        TuZiErrorKind.Configuration => ErrorCategory.InvalidArgument,
        TuZiErrorKind.DependencyConflict => ErrorCategory.ResourceUnavailable,
        TuZiErrorKind.BudgetReached => ErrorCategory.QuotaExceeded,
        _ => ErrorCategory.NotSpecified,
    };
}
