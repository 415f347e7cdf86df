using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench;

/// <summary>The host processor, as reports name it.</summary>
public static class CpuDevice
{
    private static readonly Lazy<string> s_name = new(() => Named(ReadModelName(), Generation));

    /// <summary>
    /// The processor's model name (from <c>/proc/cpuinfo</c> on Linux, or its architecture where that is unknown) with its
    /// <see cref="Generation"/> where that is known, such as <c>AMD EPYC (Zen 5, family 26 model 2)</c>: a virtual machine
    /// often names only the brand, and a CPU figure means little without the generation.
    /// </summary>
    public static string Name => s_name.Value;

    /// <summary>Logical processors available to this process.</summary>
    public static int LogicalProcessors => Environment.ProcessorCount;

    /// <summary>
    /// The x86 processor's generation from CPUID: the AMD Zen generation and its family and model (<c>Zen 3, family 25
    /// model 1</c>), or the vendor's family and model (<c>Intel family 6 model 143</c>); null on other architectures.
    /// </summary>
    public static string? Generation { get; } = ReadGeneration();

    /// <summary>
    /// Hardware threads per core the operating system runs (2 where SMT is on), from Linux's
    /// <c>/sys/devices/system/cpu/cpu*/topology/thread_siblings_list</c>; null where unknown (another operating system, or
    /// no such files). A virtual machine shows its vCPUs as the host lets it see them.
    /// </summary>
    public static int? ThreadsPerCore { get; } = ReadThreadsPerCore();

    /// <summary>How many processors a Linux CPU list names: <c>0</c>, <c>0,64</c>, <c>0-1</c>, <c>2-3,66-67</c>.</summary>
    internal static int CountCpuList(string list) => list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries).Sum(part =>
        part.Split('-') is [var first, var last] ? int.Parse(last, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(first, System.Globalization.CultureInfo.InvariantCulture) + 1 : 1);

    private static int? ReadThreadsPerCore()
    {
        const string cpus = "/sys/devices/system/cpu";
        try
        {
            if (!Directory.Exists(cpus))
                return null;
            var counts = Directory.EnumerateDirectories(cpus, "cpu*")
                .Select(cpu => Path.Combine(cpu, "topology", "thread_siblings_list"))
                .Where(File.Exists)
                .Select(file => CountCpuList(File.ReadAllText(file)))
                .ToList();
            return counts.Count == 0 ? null : counts.Max();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The AMD Zen generation of a family and model (as CPUID reports them, extended parts added), or null where none.</summary>
    /// <remarks>
    /// AMD's family 17h is Zen, Zen+ and Zen 2; 19h is Zen 3 and Zen 4 by model range; 1Ah is Zen 5 (the ranges of AMD's
    /// processor programming references and Linux's <c>arch/x86/kernel/cpu/amd.c</c>).
    /// </remarks>
    public static string? ZenGeneration(int family, int model) => (family, model) switch
    {
        (0x17, >= 0x30) => "Zen 2",
        (0x17, 0x08 or 0x18) => "Zen+",
        (0x17, _) => "Zen",
        (0x19, (>= 0x10 and <= 0x1F) or (>= 0x60 and <= 0xAF)) => "Zen 4",
        (0x19, _) => "Zen 3",
        (0x1A, _) => "Zen 5",
        _ => null,
    };

    // "AMD EPYC" and "Zen 5, family 26 model 2" → "AMD EPYC (Zen 5, family 26 model 2)".
    internal static string Named(string model, string? generation) => generation is null ? model : $"{model} ({generation})";

    private static string? ReadGeneration()
    {
        if (!X86Base.IsSupported)
            return null;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        string vendor = string.Create(12, (ebx, edx, ecx), static (span, r) =>
        {
            Span<int> words = [r.ebx, r.edx, r.ecx];
            for (int i = 0; i < 12; i++)
                span[i] = (char)((words[i / 4] >> (8 * (i % 4))) & 0xFF);
        });
        int signature = X86Base.CpuId(1, 0).Eax;
        int baseFamily = (signature >> 8) & 0xF, baseModel = (signature >> 4) & 0xF;
        int family = baseFamily == 0xF ? baseFamily + ((signature >> 20) & 0xFF) : baseFamily;
        int model = baseFamily is 0x6 or 0xF ? baseModel | (((signature >> 16) & 0xF) << 4) : baseModel;
        return vendor switch
        {
            "AuthenticAMD" when ZenGeneration(family, model) is { } zen => $"{zen}, family {family} model {model}",
            "AuthenticAMD" => $"AMD family {family} model {model}",
            "GenuineIntel" => $"Intel family {family} model {model}",
            _ => $"family {family} model {model}",
        };
    }

    private static string ReadModelName()
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
