using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using TuZiImages.Core;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Commands;

/// <summary>
/// What both cmdlets share: connection and output parameters, and the host the core writes through. The core
/// decides everything; this class binds, resolves provider paths, and writes on the pipeline thread.
/// </summary>
public abstract class TuZiImageCommandBase : PSCmdlet, IInvocationHost, IDisposable
{
    private ImageCommand? _command;
    private readonly int _progressId = new Random().Next(1, int.MaxValue);

    /// <summary>url or b64_json. Bytes are always saved to a file; base64 is never printed.</summary>
    [Parameter]
    [ValidateSet("url", "b64_json")]
    public string? ResponseFormat { get; set; }

    [Parameter]
    public string? User { get; set; }

    /// <summary>Save images in this folder (created if missing), downloading URL results.</summary>
    [Parameter]
    [Alias("OutDir")]
    public string? OutDirectory { get; set; }

    /// <summary>Replace existing files of the same name. Without it nothing existing is overwritten.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Never replace an existing file (the default, stated explicitly as Out-File allows).</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    public Uri? BaseUri { get; set; }

    /// <summary>Seconds allowed per attempt; 0 waits for ever. Default 600: 4K images take minutes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = (int)TuZiClientOptions.DefaultTimeout.TotalSeconds;

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetryCount { get; set; } = TuZiClientOptions.DefaultMaxRetries;

    /// <summary>How many requests run at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>
    /// Seconds to keep waiting while the service answers every request with a rate-limit 429 and admits none;
    /// then the waiting requests end as RateLimit errors. Default 300.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int RateLimitPatienceSec { get; set; } = (int)TuZiClientOptions.DefaultRateLimitPatience.TotalSeconds;

    /// <summary>Do not send a request whose output is already on disk; write the existing file(s) instead.</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }
    /// <summary>gpt-image: transparent, opaque or auto. Any word is sent; the completer offers the known ones.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BackgroundCompleter))]
    public string? Background { get; set; }

    /// <summary>gpt-image: png, jpeg or webp. The saved file's extension still comes from its bytes.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OutputFormatCompleter))]
    public string? OutputFormat { get; set; }

    /// <summary>gpt-image: 0-100, for jpeg and webp output.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int? OutputCompression { get; set; }

    /// <summary>Stream 1-3 previews before the final image, each saved beside it.</summary>
    [Parameter]
    [ValidateRange(1, 3)]
    public int? PartialImages { get; set; }

    /// <summary>Further fields of the request body, sent with the types given.</summary>
    [Parameter]
    [Alias("AdditionalBody")]
    public System.Collections.IDictionary? AdditionalParameter { get; set; }

    /// <summary>Further request headers for the API (never Authorization).</summary>
    [Parameter]
    [Alias("AdditionalHeaders")]
    public System.Collections.IDictionary? Header { get; set; }

    protected abstract ImageCommand CreateCommand(TuZiClientOptions options, string currentDirectory);

    protected ImageCommand Command => _command ?? throw new InvalidOperationException("BeginProcessing has not run.");

    protected override void BeginProcessing()
    {
        if (Force && NoClobber)
        {
            ThrowTerminatingError(ErrorRecords.From(new TuZiImagesException(TuZiErrorKind.Configuration,
                "-Force and -NoClobber contradict each other.") { RecommendedAction = "Give one of them." }));
        }
        if (Force && SkipExisting)
        {
            ThrowTerminatingError(ErrorRecords.From(new TuZiImagesException(TuZiErrorKind.Configuration,
                "-Force and -SkipExisting contradict each other: one replaces existing files, the other keeps them and sends nothing.")
                { RecommendedAction = "Give one of them." }));
        }
        try
        {
            var options = BuildOptions();
            _command = CreateCommand(options, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        }
        catch (TuZiImagesException e) when (e.Kind == TuZiErrorKind.Configuration)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    private TuZiClientOptions BuildOptions()
    {
        var options = ConnectionParameters.Read(BaseUri, ApiKey, TimeoutSec, MaxRetryCount, AllowUnencryptedAuthentication, Header);
        options.RateLimitPatience = TimeSpan.FromSeconds(RateLimitPatienceSec);
        return options;
    }

    protected override void EndProcessing() => _command?.End();

    protected override void StopProcessing() => _command?.Stop();

    public void Dispose()
    {
        _command?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Resolves wildcard paths to files; a path that matches nothing is a non-terminating error.</summary>
    protected IEnumerable<string> ResolvePaths(IEnumerable<string>? paths, bool literal)
    {
        var resolved = new List<string>();
        foreach (string path in paths ?? Array.Empty<string>())
        {
            try
            {
                if (literal)
                {
                    resolved.Add(GetUnresolvedProviderPathFromPSPath(path));
                    continue;
                }
                var matches = GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    WriteFailure(TuZiImagesException.InvalidInput($"'{path}' is not a file system path.", path));
                    continue;
                }
                if (matches.Count == 0)
                {
                    WriteFailure(TuZiImagesException.InvalidInput($"No file matches '{path}'.", path));
                }
                resolved.AddRange(matches);
            }
            catch (ItemNotFoundException)
            {
                WriteFailure(TuZiImagesException.InvalidInput($"Cannot find the image '{path}' because it does not exist.", path));
            }
            catch (Exception e) when (e is ProviderNotFoundException or DriveNotFoundException or PSArgumentException or NotSupportedException)
            {
                WriteFailure(TuZiImagesException.InvalidInput($"'{path}' is not a usable path: {e.Message}", path));
            }
        }
        return resolved;
    }

    protected string? ResolveOutputPath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    protected ImageSettings CommonSettings() => new()
    {
        ResponseFormat = ResponseFormat,
        User = User,
        OutDirectory = ResolveOutputPath(OutDirectory),
        Force = Force,
        SkipExisting = SkipExisting,
        Background = Background,
        OutputFormat = OutputFormat,
        OutputCompression = OutputCompression,
        PartialImages = PartialImages,
        AdditionalFields = PowerShellValues.ToFields(AdditionalParameter),
    };

    // IInvocationHost: the core calls these from inside End/Process, on the pipeline thread.
    public void WriteResult(TuZiImageResult result) => WriteObject(result);

    public void WriteFailure(TuZiImagesException failure) => WriteError(ErrorRecords.From(failure));

    void IInvocationHost.WriteVerbose(string message) => WriteVerbose(message);

    void IInvocationHost.WriteWarning(string message) => WriteWarning(message);

    public void WriteProgress(BatchProgress progress)
    {
        var record = new ProgressRecord(_progressId, MyInvocation.MyCommand.Name, progress.Status)
        {
            PercentComplete = progress.PercentComplete,
            RecordType = progress.IsFinished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (progress.CurrentOperation is not null)
        {
            record.CurrentOperation = progress.CurrentOperation;
        }
        WriteProgress(record);
    }

    bool IInvocationHost.ShouldProcess(string target, string action) => ShouldProcess(target, action);
}
