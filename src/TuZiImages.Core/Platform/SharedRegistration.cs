using System;

namespace TuZiImages.Core.Platform;

/// <summary>
/// Something registered once for many holders: each runspace imports the module on its own (runspace pools,
/// thread jobs) and one AssemblyResolve handler serves them all, so it goes only when the last holder lets go.
/// </summary>
public sealed class SharedRegistration
{
    private readonly object _gate = new();
    private readonly Action _register;
    private readonly Action _unregister;
    private int _holders;

    public SharedRegistration(Action register, Action unregister)
    {
        _register = register;
        _unregister = unregister;
    }

    public void Acquire()
    {
        lock (_gate)
        {
            if (_holders == 0)
            {
                _register();
            }
            _holders++;
        }
    }

    /// <summary>A release without an acquire (a removal after a failed import) changes nothing.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_holders > 0 && --_holders == 0)
            {
                _unregister();
            }
        }
    }
}
