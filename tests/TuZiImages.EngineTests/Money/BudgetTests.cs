using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Money;

/// <summary>
/// -BudgetUsd in the real engine against the fake's usage, which grows by each image's price: where it stops, what
/// passes it, what every prompt not sent becomes, how the rest is made later, and prices in -WhatIf.
/// </summary>
[Trait("Category", "Engine")]
public sealed class BudgetTests
{
    private const string Model = "gemini-3-pro-image-preview"; // the default model

    /// <summary>The default model costs <paramref name="usd"/> an image, a price /api/pricing does not publish unless told.</summary>
    private static FakeServerOptions Priced(decimal usd, bool published = false, bool lateUsage = false) => new()
    {
        Billing = new BillingMode { LateUsage = lateUsage, Prices = { [Model] = new ModelPrice { Usd = usd, Published = published } } },
    };

    private static string Prompts(int count) => string.Join(", ", Enumerable.Range(1, count).Select(i => $"'prompt {i}'"));

    private static ErrorRecord[] BudgetErrors(EngineRun run) =>
        run.Errors.Where(e => e.FullyQualifiedErrorId == "TuZiImages.BudgetReached,TuZiImages.Commands.NewTuZiImageCommand").ToArray();

    /// <summary>Every prompt was either saved or not sent with a BudgetReached error naming it, and nothing else happened.</summary>
    private static void EveryPromptSavedOrNotSent(EngineRun run, int prompts)
    {
        var saved = run.Results.Select(r => r.Prop<string>("Prompt")!).ToArray();
        var notSent = BudgetErrors(run).Select(e => (string)e.TargetObject).ToArray();
        Assert.Equal(run.Errors.Count, notSent.Length);
        Assert.Equal(Enumerable.Range(1, prompts).Select(i => $"prompt {i}").OrderBy(p => p), saved.Concat(notSent).OrderBy(p => p));
        Assert.All(run.Results, r => Assert.True(File.Exists(r.Prop<string>("FullName"))));
    }

    [Fact]
    public async Task One_at_a_time_the_budget_stops_the_batch_once_the_usage_reaches_it_and_the_rerun_makes_exactly_the_rest()
    {
        await using var engine = await EngineSession.StartAsync(Priced(0.10m));
        string command = $"{Prompts(6)} | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -ThrottleLimit 1 -BudgetUsd 0.25";

        var run = engine.Run(command + " -Verbose");

        Assert.Null(run.Terminating);
        // The price is not published: what passes the budget is what was in flight, one request at a time.
        Assert.Equal(0.30m, engine.Server.Billing.UsedUsd);
        Assert.Equal(3, run.Results.Length);
        EveryPromptSavedOrNotSent(run, 6);
        var first = BudgetErrors(run)[0];
        Assert.Equal(ErrorCategory.QuotaExceeded, first.CategoryInfo.Category);
        Assert.Equal("Not sent: the budget of $0.25 is reached: $0.30 is spent since this command began.", first.Exception.Message);
        Assert.Contains("-SkipExisting", first.ErrorDetails.RecommendedAction);
        Assert.Contains("Spent: the service's usage for this key grew by $0.30 while this command ran ($0.00 to $0.30), for 3 answered request(s). Budget: $0.25.",
            run.Verbose);

        engine.Server.Reset();
        var rerun = engine.Run(command + " -SkipExisting");

        rerun.ThrowIfFailed();
        Assert.Equal(3, engine.Server.Requests.Count);
        Assert.Equal(BudgetErrors(run).Select(e => (string)e.TargetObject).OrderBy(p => p), engine.Server.Requests.Select(r => r.Field("prompt")).OrderBy(p => p));
        Assert.Equal(6, rerun.Results.Length);
        Assert.Equal(3, rerun.Results.Count(r => r.Prop<bool>("Skipped")));
    }

    [Fact]
    public async Task Four_at_a_time_the_budget_is_spent_and_passed_by_at_most_one_round_in_flight_and_nothing_is_lost()
    {
        const decimal Budget = 0.55m, Price = 0.10m;
        const int Throttle = 4, Count = 12;
        await using var engine = await EngineSession.StartAsync(Priced(Price));

        var run = engine.Run($"{Prompts(Count)} | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -ThrottleLimit {Throttle} -BudgetUsd {Budget}");

        Assert.Null(run.Terminating);
        decimal spent = engine.Server.Billing.UsedUsd;
        Assert.InRange(spent, Budget, Budget + Throttle * Price);
        Assert.Equal(spent, run.Results.Length * Price);
        Assert.NotEmpty(BudgetErrors(run));
        EveryPromptSavedOrNotSent(run, Count);
    }

    [Fact]
    public async Task Far_from_its_budget_a_batch_reads_the_usage_before_the_first_request_after_the_first_answer_and_at_the_end()
    {
        await using var engine = await EngineSession.StartAsync(Priced(0.10m));

        var run = engine.Run($"{Prompts(20)} | New-TuZiImage -ResponseFormat b64_json -ThrottleLimit 4 -BudgetUsd 100");

        run.ThrowIfFailed();
        Assert.Equal(20, run.Results.Length);
        // After the first answer the usage says what an answer costs; twenty more cannot come near $100.
        Assert.Equal(3, engine.Server.Billing.UsageReads);
    }

    [Fact]
    public async Task At_a_published_price_a_request_that_would_pass_the_budget_does_not_start_counting_what_is_in_flight()
    {
        await using var engine = await EngineSession.StartAsync(Priced(0.10m, published: true));

        var run = engine.Run($"{Prompts(5)} | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -ThrottleLimit 4 -BudgetUsd 0.25");

        Assert.Null(run.Terminating);
        // Two in flight at $0.10 leave no room for a third, however fast the answers come: the budget is never passed.
        Assert.Equal(0.20m, engine.Server.Billing.UsedUsd);
        Assert.Equal(2, run.Results.Length);
        EveryPromptSavedOrNotSent(run, 5);
        Assert.All(BudgetErrors(run), e => Assert.StartsWith("Not sent: at $0.10 (its published price) it would pass the budget of $0.25", e.Exception.Message));
    }

    [Fact]
    public async Task Usage_recorded_late_is_counted_at_the_published_price_of_the_answers_not_yet_in_it()
    {
        await using var engine = await EngineSession.StartAsync(Priced(0.10m, published: true, lateUsage: true));

        var run = engine.Run($"{Prompts(5)} | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -ThrottleLimit 1 -BudgetUsd 0.25 -Verbose");

        Assert.Null(run.Terminating);
        // The service has recorded nothing yet; the two answers count at $0.10 each, and a third would pass $0.25.
        Assert.Equal(0m, engine.Server.Billing.UsedUsd);
        Assert.Equal(0.20m, engine.Server.Billing.PendingUsd);
        Assert.Equal(2, run.Results.Length);
        EveryPromptSavedOrNotSent(run, 5);
        Assert.Contains("($0.20 of it answered at published prices but not yet in the service's usage)", BudgetErrors(run)[0].Exception.Message);
        Assert.Contains(run.Verbose, v => v.StartsWith("Spent: the service's usage for this key grew by $0.00")
            && v.Contains("$0.20 more, at published prices, is answered but not yet in it (the service records usage late)"));
        engine.Server.Billing.ReleaseUsage();
        Assert.Equal(0.20m, engine.Server.Billing.UsedUsd);
    }

    [Fact]
    public async Task WhatIf_names_each_requests_published_price_times_its_images_and_sends_nothing()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            New-TuZiImage 'a fox' -Model gpt-image-1 -Count 2 -WhatIf
            New-TuZiImage 'a whale' -Model gpt-image-1.5 -WhatIf
            New-TuZiImage 'a frog' -Model flux-kontext-pro -WhatIf
            """);

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        string said = engine.HostUI.Text;
        Assert.Contains("$0.10 (2 images at $0.05), the default group's price", said);
        Assert.Contains("priced by tokens (the default group)", said);
        var frog = said.Split('\n').Single(l => l.Contains("a frog"));
        Assert.DoesNotContain("$", frog);
    }

    [Fact]
    public async Task A_budget_on_a_service_without_billing_endpoints_sends_nothing_and_says_why_for_each_prompt()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });

        var run = engine.Run("'a red fox', 'a blue whale' | New-TuZiImage -ResponseFormat b64_json -BudgetUsd 1");

        Assert.Null(run.Terminating);
        Assert.Empty(engine.Server.Requests);
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e =>
        {
            Assert.Equal("TuZiImages.BadRequest,TuZiImages.Commands.NewTuZiImageCommand", e.FullyQualifiedErrorId);
            Assert.StartsWith("Not sent: -BudgetUsd needs the service's usage, which could not be read.", e.Exception.Message);
        });
        Assert.Equal(new[] { "a blue whale", "a red fox" }, run.Errors.Select(e => (string)e.TargetObject).OrderBy(t => t));
        Assert.Equal(1, engine.Server.Billing.UsageReads); // read once, not once a prompt
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task A_budget_that_is_no_amount_stops_the_command_before_anything_is_sent(string budget)
    {
        await using var engine = await EngineSession.StartAsync();

        // A try block catches a terminating error and nothing after it in the block runs.
        var run = engine.Run($"try {{ 'a red fox' | New-TuZiImage -ResponseFormat b64_json -BudgetUsd {budget}; 'not reached' }} catch {{ $_ }}");

        var record = Assert.Single(run.Output).BaseObject as ErrorRecord;
        Assert.NotNull(record);
        Assert.Equal("TuZiImages.InvalidConfiguration,TuZiImages.Commands.NewTuZiImageCommand", record!.FullyQualifiedErrorId);
        Assert.Contains("-BudgetUsd must be more than 0", record.Exception.Message);
        Assert.Empty(engine.Server.Requests);
    }
}
