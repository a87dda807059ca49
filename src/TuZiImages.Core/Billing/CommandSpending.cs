using System;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Billing;

/// <summary>
/// One command's money: the service's usage as read, and its requests at their known prices, kept on the pipeline
/// thread only (the batch tells it what starts and what finishes, and reads the usage when the decision asks).
/// </summary>
internal sealed class CommandSpending
{
    private readonly decimal? _budget;
    private decimal? _baseline;
    private decimal _latest;
    private int _answers;
    private int _answersInLatest;
    private int _answersAtLastGrowth;
    private decimal _usageAtLastGrowth;
    private decimal _answeredAtKnownPrices;
    private decimal _inFlightAtKnownPrices;
    private decimal? _dearest;
    private TuZiImagesException? _unreadable;

    /// <param name="budgetUsd">The most the command may spend; null to read the usage only to report it.</param>
    /// <param name="readUsageUsd">Reads the service's usage for the key, in US dollars.</param>
    public CommandSpending(decimal? budgetUsd, Func<CancellationToken, Task<decimal>> readUsageUsd)
    {
        _budget = budgetUsd;
        ReadUsageUsdAsync = readUsageUsd;
    }

    public Func<CancellationToken, Task<decimal>> ReadUsageUsdAsync { get; }

    /// <summary>Answered requests the service may have billed, so far: what a reading begun now covers.</summary>
    public int Answers => _answers;

    /// <summary>The usage was read before the first request (so there is a spending to report at the end).</summary>
    public bool HasBaseline => _baseline is not null;

    internal BudgetFacts Facts => new()
    {
        BudgetUsd = _budget,
        BaselineUsd = _baseline,
        LatestUsd = _latest,
        UnreadAnswers = _answers - _answersInLatest,
        AnsweredAtKnownPricesUsd = _answeredAtKnownPrices,
        InFlightAtKnownPricesUsd = _inFlightAtKnownPrices,
        DearestAnswerUsd = _dearest,
    };

    /// <summary>Whether a request at this price may start now, or the usage must be read first.</summary>
    internal BudgetVerdict Decide(decimal? priceUsd) => _unreadable is not null
        ? (_budget is null ? BudgetVerdict.Start : BudgetVerdict.Unknowable)
        : BudgetDecision.Decide(Facts, priceUsd);

    /// <summary>A reading of the usage, begun when <see cref="Answers"/> was <paramref name="answersCovered"/>.</summary>
    public void Record(int answersCovered, decimal usageUsd)
    {
        if (_baseline is null)
        {
            _baseline = usageUsd;
            _usageAtLastGrowth = usageUsd;
            _answersAtLastGrowth = answersCovered;
        }
        else if (usageUsd > _usageAtLastGrowth && answersCovered > _answersAtLastGrowth)
        {
            // What each answer since the last growth added (usage recorded late catches up across several readings);
            // the dearest stands in for answers not yet read.
            _dearest = Math.Max(_dearest ?? 0, (usageUsd - _usageAtLastGrowth) / (answersCovered - _answersAtLastGrowth));
            _usageAtLastGrowth = usageUsd;
            _answersAtLastGrowth = answersCovered;
        }
        _latest = usageUsd;
        _answersInLatest = answersCovered;
    }

    /// <summary>The usage could not be read: with a budget, nothing more starts; without, nothing more is read.</summary>
    public void Unreadable(TuZiImagesException failure) => _unreadable ??= failure;

    /// <summary>Whether the usage could not be read; then nothing more is read.</summary>
    public bool IsUnreadable => _unreadable is not null;

    public void Started(decimal? priceUsd) => _inFlightAtKnownPrices += priceUsd ?? 0;

    /// <param name="billed">Answered (or failed in a way that may have been billed): the usage will grow by it.</param>
    public void Finished(decimal? priceUsd, bool billed)
    {
        _inFlightAtKnownPrices -= priceUsd ?? 0;
        if (billed)
        {
            _answers++;
            _answeredAtKnownPrices += priceUsd ?? 0;
        }
    }

    /// <summary>The error of a request the budget did not let start: what was spent, and how to go on.</summary>
    internal TuZiImagesException NotStarted(BudgetVerdict verdict, decimal? priceUsd, string target)
    {
        const string GoOn = "Nothing is lost: run the same command again with -SkipExisting to send only what is missing (a new command has a budget of its own), or raise -BudgetUsd.";
        if (_unreadable is { } failure)
        {
            return new TuZiImagesException(failure.Kind, "Not sent: -BudgetUsd needs the service's usage, which could not be read. " + failure.Message, failure)
            {
                Target = target, StatusCode = failure.StatusCode, RequestId = failure.RequestId,
                RecommendedAction = failure.RecommendedAction ?? "Run the command without -BudgetUsd, or when the service answers again.",
            };
        }
        var facts = Facts;
        string spent = SpentText(facts);
        string message = verdict == BudgetVerdict.Reached
            ? $"Not sent: the budget of {Usd.Format(_budget!.Value)} is reached: {spent}."
            : $"Not sent: at {(priceUsd is { } price ? Usd.Format(price) + " (its published price)" : "its price")} it would pass the budget of {Usd.Format(_budget!.Value)}: {spent}"
              + (facts.InFlightAtKnownPricesUsd > 0 ? $", and {Usd.Format(facts.InFlightAtKnownPricesUsd)} is in flight at published prices." : ".");
        return new TuZiImagesException(TuZiErrorKind.BudgetReached, message) { Target = target, RecommendedAction = GoOn };
    }

    /// <summary>For the verbose stream at the end: what the service's usage says the command spent.</summary>
    public string Summary()
    {
        var facts = Facts;
        return $"Spent: the service's usage for this key grew by {Usd.Format(facts.CountedUsd)} while this command ran "
            + $"({Usd.Format(_baseline ?? 0)} to {Usd.Format(_latest)}), for {_answers} answered request(s)"
            + (facts.NotYetCountedUsd > 0
                ? $"; {Usd.Format(facts.NotYetCountedUsd)} more, at published prices, is answered but not yet in it (the service records usage late)."
                : ".")
            + (_budget is { } budget ? $" Budget: {Usd.Format(budget)}." : "");
    }

    private static string SpentText(BudgetFacts facts) =>
        $"{Usd.Format(facts.SpentUsd)} is spent since this command began"
        + (facts.NotYetCountedUsd > 0 ? $" ({Usd.Format(facts.NotYetCountedUsd)} of it answered at published prices but not yet in the service's usage)" : "");
}
