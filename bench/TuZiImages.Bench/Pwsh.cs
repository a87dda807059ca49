using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace TuZiImages.Bench;

/// <summary>
/// A pwsh process: the one on PATH if there is one, else the repository's own (`dotnet tool run pwsh`, pinned in
/// .config/dotnet-tools.json), so the figures that need a real pwsh are measured on a machine without one too.
/// </summary>
internal static class Pwsh
{
    private static string Metadata(string key) =>
        typeof(Pwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string ModuleDirectory => Metadata("ModuleDirectory");

    public static bool ModuleBuilt => File.Exists(Path.Combine(ModuleDirectory, "TuZiImages.psd1"));

    /// <summary>Which pwsh runs, for the notes.</summary>
    public static string Which => OnPath() ? "pwsh on PATH" : "the repository's pwsh (dotnet tool run pwsh)";

    /// <summary>A start that runs <paramref name="command"/>, its output redirected.</summary>
    public static ProcessStartInfo Command(string command)
    {
        var start = OnPath() ? new ProcessStartInfo("pwsh") : new ProcessStartInfo("dotnet") { WorkingDirectory = Metadata("RepoRoot") };
        if (!OnPath())
        {
            start.ArgumentList.Add("tool");
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("pwsh");
            start.ArgumentList.Add("--");
        }
        foreach (string argument in new[] { "-NoProfile", "-NonInteractive", "-Command", command })
        {
            start.ArgumentList.Add(argument);
        }
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private static bool OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, "pwsh")));
}
