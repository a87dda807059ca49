using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace TuZiImages.EngineTests.Support;

/// <summary>
/// A host with no console: it keeps everything written to it (-WhatIf text lands here) and answers every
/// prompt (-Confirm, a mandatory parameter) with "No" or nothing, recording what it was asked.
/// </summary>
public sealed class RecordingPSHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();

    public RecordingHostUI Recorder { get; } = new();

    public override string Name => "TuZiImages.EngineTests";
    public override Version Version => new(1, 0);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => Recorder;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}

/// <summary>One question the engine asked through the host: a ShouldProcess confirmation or a prompt.</summary>
public sealed record HostPrompt(string Caption, string Message, IReadOnlyList<string> Choices, string Answer);

public sealed class RecordingHostUI : PSHostUserInterface
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<HostPrompt> _prompts = new();
    private readonly List<ProgressRecord> _progress = new();

    public override PSHostRawUserInterface RawUI { get; } = new FixedRawUI();

    /// <summary>Everything written to the host, as one text.</summary>
    public string Text { get { lock (_gate) { return _text.ToString(); } } }

    /// <summary>Every confirmation asked, in order; each was answered "No".</summary>
    public IReadOnlyList<HostPrompt> Prompts { get { lock (_gate) { return _prompts.ToArray(); } } }

    public IReadOnlyList<ProgressRecord> Progress { get { lock (_gate) { return _progress.ToArray(); } } }

    private void Append(string text) { lock (_gate) { _text.Append(text); } }

    public override string ReadLine() { Append("<ReadLine>\n"); return ""; }
    public override SecureString ReadLineAsSecureString() { Append("<ReadLineAsSecureString>\n"); return new SecureString(); }
    public override void Write(string value) => Append(value);
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
    public override void WriteLine(string value) => Append(value + "\n");
    public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");
    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
    public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
    public override void WriteProgress(long sourceId, ProgressRecord record) { lock (_gate) { _progress.Add(record); } }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        lock (_gate)
        {
            _prompts.Add(new HostPrompt(caption, message, descriptions.Select(d => d.Name).ToArray(), ""));
        }
        // No answer: a mandatory parameter the test forgot stays missing instead of hanging the run.
        return new Dictionary<string, PSObject>();
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        string[] labels = choices.Select(c => c.Label.Replace("&", "")).ToArray();
        int no = Array.FindIndex(labels, l => l.Equals("No", StringComparison.OrdinalIgnoreCase));
        if (no < 0)
        {
            throw new InvalidOperationException($"The test host was asked '{caption}' with no 'No' among: {string.Join(", ", labels)}");
        }
        lock (_gate)
        {
            _prompts.Add(new HostPrompt(caption, message, labels, labels[no]));
        }
        return no;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new NotSupportedException("The test host does not ask for credentials.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new NotSupportedException("The test host does not ask for credentials.");

    /// <summary>A fixed 160x50 window: enough for formatting code that asks the width.</summary>
    private sealed class FixedRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get; set; } = new(160, 3000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(160, 50);
        public override Size MaxWindowSize => new(160, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(160, 50);
        public override string WindowTitle { get; set; } = "";

        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The test host has no keyboard.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
