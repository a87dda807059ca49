namespace TuZiImages.Core.Billing;

/// <summary>What an image command is asked about money: a budget, the spending in its verbose output, prices in -WhatIf.</summary>
public sealed class MoneyOptions
{
    /// <summary>The most the command may spend, in US dollars, by the service's usage since it began; null: no budget.</summary>
    public decimal? BudgetUsd { get; set; }

    /// <summary>Read the usage before the first request and at the end, to say what the command spent (-Verbose).</summary>
    public bool ReportSpending { get; set; }

    /// <summary>Name each request's published price where ShouldProcess describes it (-WhatIf, -Confirm).</summary>
    public bool NamePrices { get; set; }

    /// <summary>The usage is read when there is a budget or the spending is to be reported.</summary>
    internal bool ReadsUsage => BudgetUsd is not null || ReportSpending;

    /// <summary>Prices are read for the budget (a request whose known price would pass it does not start) and for -WhatIf.</summary>
    internal bool ReadsPrices => BudgetUsd is not null || NamePrices;

    /// <summary>A budget must be a positive amount; anything else stops the command before anything is sent.</summary>
    internal void Validate()
    {
        if (BudgetUsd is { } budget && budget <= 0)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"-BudgetUsd must be more than 0; it is {budget}.")
            {
                RecommendedAction = "Give the most the command may spend, in US dollars, for example -BudgetUsd 5.",
            };
        }
    }
}
