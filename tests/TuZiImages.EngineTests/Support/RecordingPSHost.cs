// A PowerShell host with no console for the engine tests: -WhatIf text lands in it and -Confirm gets "No".
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace TuZiImages.Testing
{
    /// <summary>
    /// Keeps everything written to it (-WhatIf text lands here) and answers every confirmation (-Confirm) with
    /// "No", recording what it was asked. A prompt for a missing mandatory parameter gets no answer.
    /// </summary>
    public sealed class RecordingPSHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly RecordingHostUI _ui = new RecordingHostUI();

        public RecordingHostUI Recorder { get { return _ui; } }
        public override string Name { get { return "TuZiImages.Testing"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return _id; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.GetCultureInfo("en-US"); } }

        public override void EnterNestedPrompt() { throw new NotSupportedException("The test host has no nested prompt."); }
        public override void ExitNestedPrompt() { throw new NotSupportedException("The test host has no nested prompt."); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    /// <summary>One question the engine asked through the host, and the answer given.</summary>
    public sealed class HostPrompt
    {
        public HostPrompt(string caption, string message, string[] choices, string answer)
        {
            Caption = caption ?? "";
            Message = message ?? "";
            Choices = choices;
            Answer = answer;
        }

        public string Caption { get; private set; }
        public string Message { get; private set; }
        public string[] Choices { get; private set; }
        public string Answer { get; private set; }
    }

    public sealed class RecordingHostUI : PSHostUserInterface
    {
        private readonly object _gate = new object();
        private readonly StringBuilder _text = new StringBuilder();
        private readonly List<HostPrompt> _prompts = new List<HostPrompt>();
        private readonly List<ProgressRecord> _progress = new List<ProgressRecord>();
        private readonly PSHostRawUserInterface _rawUI = new FixedRawUI();

        public override PSHostRawUserInterface RawUI { get { return _rawUI; } }

        /// <summary>Everything written to the host, as one text.</summary>
        public string Text { get { lock (_gate) { return _text.ToString(); } } }

        /// <summary>Every question asked, in order.</summary>
        public HostPrompt[] Prompts { get { lock (_gate) { return _prompts.ToArray(); } } }

        public ProgressRecord[] Progress { get { lock (_gate) { return _progress.ToArray(); } } }

        private void Append(string text) { lock (_gate) { _text.Append(text); } }

        public override string ReadLine() { Append("<ReadLine>\n"); return ""; }
        public override SecureString ReadLineAsSecureString() { Append("<ReadLineAsSecureString>\n"); return new SecureString(); }
        public override void Write(string value) { Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Append(value); }
        public override void WriteLine(string value) { Append(value + "\n"); }
        public override void WriteErrorLine(string value) { Append("ERROR: " + value + "\n"); }
        public override void WriteDebugLine(string message) { Append("DEBUG: " + message + "\n"); }
        public override void WriteVerboseLine(string message) { Append("VERBOSE: " + message + "\n"); }
        public override void WriteWarningLine(string message) { Append("WARNING: " + message + "\n"); }
        public override void WriteProgress(long sourceId, ProgressRecord record) { lock (_gate) { _progress.Add(record); } }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            var names = new List<string>();
            foreach (FieldDescription description in descriptions)
            {
                names.Add(description.Name);
            }
            lock (_gate)
            {
                _prompts.Add(new HostPrompt(caption, message, names.ToArray(), ""));
            }
            // No answer: a mandatory parameter a test forgot stays missing instead of hanging the run.
            return new Dictionary<string, PSObject>();
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var labels = new string[choices.Count];
            int no = -1;
            for (int i = 0; i < choices.Count; i++)
            {
                labels[i] = choices[i].Label.Replace("&", "");
                if (no < 0 && string.Equals(labels[i], "No", StringComparison.OrdinalIgnoreCase))
                {
                    no = i;
                }
            }
            if (no < 0)
            {
                throw new InvalidOperationException("The test host was asked '" + caption + "' with no 'No' among: " + string.Join(", ", labels));
            }
            lock (_gate)
            {
                _prompts.Add(new HostPrompt(caption, message, labels, labels[no]));
            }
            return no;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        {
            throw new NotSupportedException("The test host does not ask for credentials.");
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            throw new NotSupportedException("The test host does not ask for credentials.");
        }

        /// <summary>A fixed 160x50 window: enough for formatting code that asks the width.</summary>
        private sealed class FixedRawUI : PSHostRawUserInterface
        {
            private ConsoleColor _background = ConsoleColor.Black;
            private ConsoleColor _foreground = ConsoleColor.Gray;
            private Size _bufferSize = new Size(160, 3000);
            private Size _windowSize = new Size(160, 50);
            private Coordinates _cursor;
            private Coordinates _window;
            private int _cursorSize = 25;
            private string _title = "";

            public override ConsoleColor BackgroundColor { get { return _background; } set { _background = value; } }
            public override ConsoleColor ForegroundColor { get { return _foreground; } set { _foreground = value; } }
            public override Size BufferSize { get { return _bufferSize; } set { _bufferSize = value; } }
            public override Coordinates CursorPosition { get { return _cursor; } set { _cursor = value; } }
            public override int CursorSize { get { return _cursorSize; } set { _cursorSize = value; } }
            public override bool KeyAvailable { get { return false; } }
            public override Size MaxPhysicalWindowSize { get { return new Size(160, 50); } }
            public override Size MaxWindowSize { get { return new Size(160, 50); } }
            public override Coordinates WindowPosition { get { return _window; } set { _window = value; } }
            public override Size WindowSize { get { return _windowSize; } set { _windowSize = value; } }
            public override string WindowTitle { get { return _title; } set { _title = value; } }

            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) { return new BufferCell[0, 0]; }
            public override KeyInfo ReadKey(ReadKeyOptions options) { throw new NotSupportedException("The test host has no keyboard."); }
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        }
    }
}
