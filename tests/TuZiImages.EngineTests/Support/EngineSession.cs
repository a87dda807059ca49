using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Testing;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Support;

/// <summary>
/// One engine test's world: a fake service on loopback, a real folder that is the current location, and a
/// runspace of its own with the built module imported from out/TuZiImages, as a user's session would.
/// </summary>
/// <remarks>
/// The connection comes from <c>$PSDefaultParameterValues</c> in this runspace, not from TUZI_* variables:
/// the environment is one per process and test classes run in parallel. Tests that must change the
/// environment belong to <see cref="ProcessEnvironmentCollection"/>.
/// </remarks>
public sealed class EngineSession : IAsyncDisposable
{
    /// <summary>Test-side helpers that stand in for cmdlets the bare engine lacks, writing exactly what those write.</summary>
    private const string Helpers = """
        # Get-ChildItem's objects: FileInfo / DirectoryInfo with PSPath, PSParentPath, PSChildName, PSDrive, PSProvider.
        function Get-TestChildItem {
            param([Parameter(Mandatory)][string[]] $Path, [switch] $Literal)
            $ExecutionContext.InvokeProvider.ChildItem.Get($Path, $false, $false, [bool]$Literal)
        }
        # A pipeline consumer that binds -LiteralPath by PSPath, as Copy-Item, Get-Item and Invoke-Item do.
        function Resolve-TestPipedPath {
            param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath')][string[]] $LiteralPath)
            process {
                foreach ($path in $LiteralPath) {
                    $ExecutionContext.SessionState.Path.GetResolvedProviderPathFromPSPath($path, [ref]$null)
                }
            }
        }
        """;

    private static readonly Lazy<string> ModuleDirectoryPath = new(() => Metadata("ModuleDirectory"));

    private static string Metadata(string key) =>
        typeof(EngineSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private EngineSession(FakeTuZiServer server, string apiKey)
    {
        Server = server;
        ApiKey = apiKey;
        Host = new RecordingPSHost();
        Runspace = OpenRunspace();
    }

    private Runspace OpenRunspace()
    {
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // A developer's machine may say Restricted; the module's format file is a script file to that check.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }
        var runspace = RunspaceFactory.CreateRunspace(Host, state);
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(Folder.Path);
        return runspace;
    }

    /// <summary>
    /// Throws the session's runspace away, whatever runs in it, and opens a new one with the module imported and
    /// connected: the nearest an in-process test comes to a killed PowerShell and a new one started.
    /// </summary>
    public void RestartRunspace(bool connect = true)
    {
        Runspace.Dispose();
        Runspace = OpenRunspace();
        Prepare(this, connect);
    }

    /// <summary>
    /// Polls of the async models' tasks every <paramref name="interval"/> instead of 5 s, for every session of this
    /// process: the module builds its options from the cmdlets' parameters, where tests cannot reach.
    /// </summary>
    public static void UseTaskPollInterval(TimeSpan interval)
    {
        // The module's assembly, as Import-Module loaded it: call this after a session has started.
        var options = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "TuZiImages.Core")
            .Select(a => a.GetType("TuZiImages.Core.TuZiClientOptions")).First(t => t is not null)!;
        options.GetProperty("DefaultTaskPollInterval", BindingFlags.NonPublic | BindingFlags.Static)!.SetValue(null, interval);
    }

    /// <summary>The built module folder (out/TuZiImages), which the engine imports from.</summary>
    public static string ModuleDirectory => ModuleDirectoryPath.Value;

    /// <summary>The repository this test project was built from (docs, the Pester scripts).</summary>
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "TuZiImages.psd1");

    public FakeTuZiServer Server { get; }

    /// <summary>A key of this session only, so a leak test can look for it in any text.</summary>
    public string ApiKey { get; }

    public TempDirectory Folder { get; } = new();

    public RecordingPSHost Host { get; }

    public RecordingHostUI HostUI => Host.Recorder;

    public Runspace Runspace { get; private set; }

    /// <summary>The API origin without a trailing slash, as a user would type it.</summary>
    public string BaseUri => Server.ApiBaseAddress.ToString().TrimEnd('/');

    /// <param name="connect">Point both cmdlets at the fake service and give them the key, via $PSDefaultParameterValues.</param>
    public static async Task<EngineSession> StartAsync(FakeServerOptions? options = null, bool connect = true)
    {
        var server = await FakeTuZiServer.StartAsync(options);
        EngineSession? session = null;
        try
        {
            session = new EngineSession(server, "sk-engine-" + Guid.NewGuid().ToString("N"));
            Prepare(session, connect);
            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            else
            {
                await server.DisposeAsync();
            }
            throw;
        }
    }

    private static void Prepare(EngineSession session, bool connect)
    {
        session.Run("param($Manifest) Import-Module -Name $Manifest -ErrorAction Stop", ("Manifest", ModuleManifest)).ThrowIfFailed();
        session.Run(Helpers).ThrowIfFailed();
        if (connect)
        {
            session.Run("""
                param($BaseUri, $ApiKey)
                $PSDefaultParameterValues['*-TuZiImage:BaseUri'] = $BaseUri
                $PSDefaultParameterValues['*-TuZiImage:ApiKey'] = $ApiKey
                """, ("BaseUri", session.BaseUri), ("ApiKey", session.ApiKey)).ThrowIfFailed();
        }
    }

    /// <summary>A PowerShell on this session's runspace with a script and its parameters added, to run or stop as the test likes.</summary>
    public PowerShell Create(string script, params (string Name, object? Value)[] parameters)
    {
        var shell = PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        foreach (var (name, value) in parameters)
        {
            shell.AddParameter(name, value);
        }
        return shell;
    }

    /// <summary>Runs a script to the end in this session and keeps every stream; a terminating error is kept, not thrown.</summary>
    public EngineRun Run(string script, params (string Name, object? Value)[] parameters)
    {
        using var shell = Create(script, parameters);
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return new EngineRun(output, shell.Streams, terminating, this);
    }

    /// <summary>
    /// The end of a script begun with <see cref="Create"/> and BeginInvoke, once the test has let the service go
    /// on: every stream, as <see cref="Run"/> keeps them; a terminating error is kept, not thrown.
    /// </summary>
    public async Task<EngineRun> EndAsync(PowerShell shell, IAsyncResult running)
    {
        await Task.Factory.FromAsync(running, _ => { }).Within("the script to end");
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = new Collection<PSObject>(shell.EndInvoke(running).ToList());
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return new EngineRun(output, shell.Streams, terminating, this);
    }

    /// <summary>What Tab offers at the end of a line, through TabExpansion2 as the console asks for it.</summary>
    public string[] Complete(string line)
    {
        var run = Run("""
            param($Line)
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText
            """, ("Line", line));
        run.ThrowIfFailed();
        return run.Output.Select(o => (string)o.BaseObject).ToArray();
    }

    /// <summary>A real PNG in the session folder; the shade makes files differ.</summary>
    public string WritePng(string name, byte shade = 0x80, int width = 16, int height = 8)
    {
        string path = Folder.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestImages.Png(width, height, shade));
        return path;
    }

    /// <summary>Every file under the session folder, hidden and temporary ones included, relative and sorted.</summary>
    public string[] FilesOnDisk() =>
        Directory.GetFiles(Folder.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Folder.Path, p).Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// What a stream of a running pipeline holds so far, as text. Never enumerate a live PSDataCollection for
    /// this: its enumerator blocks until the pipeline ends.
    /// </summary>
    public static string SoFar<T>(PSDataCollection<T> stream)
    {
        var items = new List<string>();
        for (int i = 0; i < stream.Count; i++)
        {
            items.Add(stream[i]?.ToString() ?? "");
        }
        return string.Join(" | ", items);
    }

    public async ValueTask DisposeAsync()
    {
        Runspace.Dispose();
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}

/// <summary>What one script run left in every stream.</summary>
public sealed class EngineRun
{
    private readonly EngineSession _session;

    public EngineRun(Collection<PSObject> output, PSDataStreams streams, Exception? terminating, EngineSession session)
    {
        _session = session;
        Output = output.Where(o => o is not null).ToArray();
        Errors = streams.Error.ToArray();
        Verbose = streams.Verbose.Select(v => v.Message).ToArray();
        Debug = streams.Debug.Select(d => d.Message).ToArray();
        Warnings = streams.Warning.Select(w => w.Message).ToArray();
        Information = streams.Information.ToArray();
        Progress = streams.Progress.ToArray();
        Terminating = terminating;
    }

    public IReadOnlyList<PSObject> Output { get; }
    public IReadOnlyList<ErrorRecord> Errors { get; }
    public IReadOnlyList<string> Verbose { get; }
    public IReadOnlyList<string> Debug { get; }
    public IReadOnlyList<string> Warnings { get; }
    public IReadOnlyList<InformationRecord> Information { get; }
    public IReadOnlyList<ProgressRecord> Progress { get; }

    /// <summary>The error that stopped the script, if one did.</summary>
    public Exception? Terminating { get; }

    public ErrorRecord? TerminatingRecord => (Terminating as IContainsErrorRecord)?.ErrorRecord;

    /// <summary>The output objects of a type, by their full type name (the module's types are not referenced here).</summary>
    public PSObject[] OutputOf(string typeName) => Output.Where(o => o.BaseObject.GetType().FullName == typeName).ToArray();

    public PSObject[] Results => OutputOf("TuZiImages.Core.TuZiImageResult");

    public EngineRun ThrowIfFailed()
    {
        if (Terminating is not null || Errors.Count > 0)
        {
            throw new InvalidOperationException("The script failed: " + string.Join(" | ",
                Errors.Select(e => e.ToString()).Concat(Terminating is null ? Array.Empty<string>() : new[] { Terminating.ToString() })));
        }
        return this;
    }

    /// <summary>Every text this run could show a user: output, every stream, errors with details and exceptions, and the host.</summary>
    public string AllText()
    {
        var parts = new List<string>();
        parts.AddRange(Output.Select(o => o.ToString()));
        parts.AddRange(Output.SelectMany(o => o.Properties.Select(p => SafeValue(p))));
        parts.AddRange(Verbose);
        parts.AddRange(Debug);
        parts.AddRange(Warnings);
        parts.AddRange(Information.Select(i => i.MessageData?.ToString() ?? ""));
        parts.AddRange(Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation));
        var records = Errors.Concat(TerminatingRecord is null ? Array.Empty<ErrorRecord>() : new[] { TerminatingRecord });
        foreach (var record in records)
        {
            parts.Add(record.ToString());
            parts.Add(record.Exception.ToString());
            parts.Add(record.ErrorDetails?.Message ?? "");
            parts.Add(record.ErrorDetails?.RecommendedAction ?? "");
            parts.Add(record.TargetObject?.ToString() ?? "");
            parts.Add(record.CategoryInfo.ToString());
        }
        parts.Add(Terminating?.ToString() ?? "");
        parts.Add(_session.HostUI.Text);
        return string.Join("\n", parts);
    }

    private static string SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Name + "=" + property.Value;
        }
        catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException)
        {
            return property.Name + "=<" + e.Message + ">";
        }
    }
}

/// <summary>Engine tests that set process-wide TUZI_* variables: never run beside any other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

public static class PSObjectExtensions
{
    /// <summary>A property's value through the engine's adapters, as a script would read it.</summary>
    public static object? Prop(this PSObject obj, string name) => obj.Properties[name]?.Value;

    public static T? Prop<T>(this PSObject obj, string name) => (T?)LanguagePrimitives.ConvertTo(obj.Properties[name]?.Value, typeof(T));
}
