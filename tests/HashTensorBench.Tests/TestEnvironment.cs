using System.Runtime.CompilerServices;

namespace HashTensorBench.Tests;

internal static class TestEnvironment
{
    // compare and site read $XDG_CONFIG_HOME/htb/market.json when it is newer than the built-in defaults: a file the
    // developer refreshed must not change what the tests see, so their XDG_CONFIG_HOME is a folder that holds none.
#pragma warning disable CA2255 // A module initializer is the one hook that runs before every test of the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void IsolateConfiguration() =>
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(Path.GetTempPath(), $"htb-tests-config-{Guid.NewGuid():N}"));
}
