using System.Runtime.InteropServices;

namespace HashTensorBench;

/// <summary>The host processor, as reports name it.</summary>
public static class CpuDevice
{
    private static readonly Lazy<string> s_name = new(ReadName);

    /// <summary>The processor's model name (from <c>/proc/cpuinfo</c> on Linux), or its architecture where that is unknown.</summary>
    public static string Name => s_name.Value;

    /// <summary>Logical processors available to this process.</summary>
    public static int LogicalProcessors => Environment.ProcessorCount;

    private static string ReadName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
            {
                string? line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
            // Unreadable: fall back to the architecture.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
        return $"{RuntimeInformation.ProcessArchitecture} processor";
    }
}
