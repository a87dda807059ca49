using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using TuZiImages.Core.Platform;

namespace TuZiImages;

/// <summary>
/// Runs when Import-Module loads TuZiImages.dll, before any cmdlet. In Windows PowerShell it lets the module's
/// strong-named dependencies bind to the copies beside them (there are no binding redirects for a module);
/// in a PowerShell 7 too old for the module's System.Text.Json it refuses the import with a message that says so.
/// Only mscorlib, System.Management.Automation and the Platform types are touched here: anything from
/// System.Text.Json, System.Memory and the like would fail to load before the resolver is in place.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static SharedRegistration? _resolver;
    private static ModuleAssemblyResolver? _moduleResolver;

    public void OnImport()
    {
        if (HostSupport.IsNetFramework)
        {
            var location = typeof(ModuleInitializer).Assembly.Location;
            if (location.Length == 0)
            {
                return;
            }
            lock (Gate)
            {
                if (_resolver is null)
                {
                    _moduleResolver = new ModuleAssemblyResolver(Path.GetDirectoryName(location)!);
                    _resolver = new SharedRegistration(_moduleResolver.Register, _moduleResolver.Unregister);
                }
            }
            _resolver.Acquire();
            // Copies other modules loaded first: the cmdlets say so in -Verbose and name them if a call then fails.
            DependencyConflicts.Record(_moduleResolver!.Shipped, Path.GetDirectoryName(location)!);
            return;
        }
        var engine = typeof(PSObject).Assembly;
        var refusal = HostSupport.Refusal(isNetFramework: false, engine.GetName().Version ?? new Version(0, 0), DisplayVersion(engine));
        if (refusal is not null)
        {
            throw new PlatformNotSupportedException(refusal);
        }
    }

    public void OnRemove(PSModuleInfo module) => _resolver?.Release();

    // "7.2.18 SHA: ..." in PowerShell 7; the assembly version (7.2.18.500) where that is missing.
    private static string DisplayVersion(Assembly engine)
    {
        var informational = engine.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            return informational!.Split(' ')[0];
        }
        var version = engine.GetName().Version;
        return version is null ? "unknown" : version.ToString(3);
    }
}
