using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Errors;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core.Results;

/// <summary>
/// From a successful answer to results: refusals and empty items become failures of their own, URL results
/// are fetched when files were asked for, and each image is moved under its final name only when whole.
/// One image that fails costs none of the others.
/// </summary>
internal sealed class ResultCollector
{
    private readonly FailureMapper _failures;
    private readonly ResultDownloader _downloader;

    public ResultCollector(FailureMapper failures, ResultDownloader downloader)
    {
        _failures = failures;
        _downloader = downloader;
    }

    public async Task<ImageResponse> CollectAsync(ImageRequest request, string operation, string model, SentRequest sent, SaveSession session,
        Stopwatch stopwatch, ImageRecord? record, CancellationToken cancellationToken)
    {
        var parsed = sent.Response;
        if (parsed.Items.Count == 0)
        {
            if (parsed.ErrorMessage is not null)
            {
                throw _failures.FromAnswer(200, parsed.ErrorMessage, parsed.ErrorType, parsed.ErrorCode, sent.RequestId, sent.Attempts, model, mayHaveBeenBilled: false);
            }
            throw new TuZiImagesException(TuZiErrorKind.NoImage,
                _failures.Redact($"The service answered without any image (an empty data list{(parsed.HasData ? "" : ", or none at all")})."))
            {
                StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt,
                RecommendedAction = "Try again, or rephrase the prompt: the model may have declined without saying so.",
            };
        }

        var files = new PendingFile?[parsed.Items.Count];
        var failures = new TuZiImagesException?[parsed.Items.Count];
        var downloads = new List<Task>();
        for (int i = 0; i < parsed.Items.Count; i++)
        {
            var item = parsed.Items[i];
            int index = i;
            if (item.RevisedPrompt is { } revised && RefusalMarkers.InRevisedPrompt(revised))
            {
                failures[i] = new TuZiImagesException(TuZiErrorKind.ContentRefused,
                    _failures.Redact($"The model declined to make image {i + 1}: {ErrorBody.Excerpt(revised, 300)}"))
                {
                    StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt, MayHaveBeenBilled = true,
                    ServerMessage = _failures.Redact(revised), RecommendedAction = "Rephrase the prompt or use other images.",
                };
            }
            else if (item.File is { } file)
            {
                if (file.Format is null)
                {
                    failures[i] = FailureMapper.NotAnImage(i, sent.RequestId, sent.Attempts);
                }
                else
                {
                    files[i] = file;
                }
            }
            else if (item.Url is { } url)
            {
                if (session.Options.DownloadUrls)
                {
                    downloads.Add(FetchAsync(url, index));
                }
            }
            else
            {
                failures[i] = new TuZiImagesException(TuZiErrorKind.NoImage, $"Image {i + 1} of the answer is empty: neither a URL nor image data.")
                {
                    StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt,
                };
            }
        }
        await Task.WhenAll(downloads).ConfigureAwait(false);

        async Task FetchAsync(string url, int index)
        {
            try
            {
                files[index] = await _downloader.DownloadAsync(url, index, session, cancellationToken).ConfigureAwait(false);
            }
            catch (TuZiImagesException e)
            {
                failures[index] = e;
            }
        }

        var source = new ResultSource
        {
            Operation = operation, Prompt = request.Prompt, Model = model, InputImages = request.Files.Select(f => f.FullPath).ToArray(),
            Attempts = sent.Attempts, RequestId = sent.RequestId, Elapsed = stopwatch.Elapsed, Created = parsed.Created, Metadata = parsed.Metadata,
        };
        var images = new List<TuZiImageResult>();
        for (int i = 0; i < parsed.Items.Count; i++)
        {
            if (failures[i] is not null)
            {
                continue;
            }
            string? fullName = null;
            var item = parsed.Items[i];
            // The model's words are the server's text, as its error messages are.
            string? revisedPrompt = item.RevisedPrompt is { } revised ? _failures.Redact(revised) : null;
            if (files[i] is { } file)
            {
                try
                {
                    var imageRecord = record?.ForImage(revisedPrompt, parsed.Created ?? item.Metadata?.CreatedAt ?? DateTimeOffset.Now,
                        sent.RequestId is { } id ? _failures.Redact(id) : null, taskId: null);
                    fullName = session.Commit(file, i, parsed.Items.Count, imageRecord);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failures[i] = new TuZiImagesException(TuZiErrorKind.FileSystem, $"Image {i + 1} could not be saved in '{session.Options.Directory}': {e.Message}", e)
                    {
                        Target = session.Options.FilePath ?? session.Options.Directory, RequestId = sent.RequestId, MayHaveBeenBilled = true,
                    };
                    continue;
                }
            }
            images.Add(ResultFactory.Create(source, new ResultImage
            {
                Index = i,
                Url = item.Url,
                FullName = fullName,
                Saved = files[i],
                RevisedPrompt = revisedPrompt,
                Metadata = item.Metadata,
                Previews = item.Previews.ToArray(),
            }));
        }
        var failed = failures.Where(f => f is not null).Select(f => f!).ToList();
        if (images.Count == 0)
        {
            throw failed[0];
        }
        session.KeepPreviews();
        return new ImageResponse { Images = images, Failures = failed, RequestId = sent.RequestId, Attempts = sent.Attempts, Elapsed = stopwatch.Elapsed };
    }
}
