using System;
using System.Globalization;
using System.Management.Automation;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>
/// What a task id may be bound from: text (or a number), or an object that carries one in TaskId (a result of an
/// async model, an error record of a task that may still finish, a CSV row). Without it PowerShell would bind any
/// piped object by value through its ToString(): an error record without a task would be polled under its message,
/// a result of the images API under its file name. Such objects are refused here, each with an error of its own.
/// </summary>
/// <remarks>
/// PowerShell tries a parameter's transformation on the by-value attempt first and stops at the first refusal, so
/// the TaskId property is read here too, not left to binding by property name.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TaskIdTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null or string:
                return value;
            case int or long or decimal or double:
                return Convert.ToString(value, CultureInfo.InvariantCulture);
            case ErrorRecord record:
                return (record.Exception as TuZiImagesException)?.TaskId is { Length: > 0 } id ? id
                    : throw new ArgumentTransformationMetadataException(
                        $"The error '{Excerpt(record.ToString())}' is about no task that may still finish: it has no TaskId.");
        }
        if (PSObject.AsPSObject(inputData).Properties["TaskId"]?.Value is { } property && property.ToString() is { Length: > 0 } text)
        {
            return text;
        }
        throw new ArgumentTransformationMetadataException(
            $"A {value.GetType().Name} is not a task id and has no TaskId: give the TaskId of a result or an error record of an async model, or the id as text.");
    }

    private static string Excerpt(string text) => text.Length > 80 ? text.Substring(0, 77) + "..." : text;
}
