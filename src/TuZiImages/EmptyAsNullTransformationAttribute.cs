using System;
using System.Management.Automation;

namespace TuZiImages;

/// <summary>
/// Turns an empty or blank string into null before PowerShell converts it to the parameter's type. Import-Csv
/// writes an empty cell as "", which PowerShell would make 0 for an int: for a column such as Count that means
/// "this row does not set it", as an empty cell does for the string columns.
/// </summary>
/// <remarks>
/// Only strings are touched: a number (a real 0 included) passes through unchanged, so the cmdlet still
/// refuses it with its own clear error.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EmptyAsNullTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
    }
}
