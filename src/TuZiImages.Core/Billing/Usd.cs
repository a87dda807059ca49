using System.Globalization;

namespace TuZiImages.Core.Billing;

/// <summary>US dollars as messages show them: "$0.10", "$0.035", "$12.40".</summary>
internal static class Usd
{
    public static string Format(decimal usd) => (usd < 0 ? "-$" : "$") + System.Math.Abs(usd).ToString("0.00##", CultureInfo.InvariantCulture);
}
