using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tests;

public class CpuDeviceTests
{
    [Theory]
    [InlineData(0x17, 0x01, "Zen")]        // EPYC 7001 (Naples)
    [InlineData(0x17, 0x08, "Zen+")]       // Ryzen 2000 (Pinnacle Ridge)
    [InlineData(0x17, 0x31, "Zen 2")]      // EPYC 7002 (Rome)
    [InlineData(0x17, 0x71, "Zen 2")]      // Ryzen 3000 (Matisse)
    [InlineData(0x19, 0x01, "Zen 3")]      // EPYC 7003 (Milan)
    [InlineData(0x19, 0x21, "Zen 3")]      // Ryzen 5000 (Vermeer)
    [InlineData(0x19, 0x11, "Zen 4")]      // EPYC 9004 (Genoa)
    [InlineData(0x19, 0x61, "Zen 4")]      // Ryzen 7000 (Raphael)
    [InlineData(0x19, 0xA0, "Zen 4")]      // EPYC 97x4 (Bergamo)
    [InlineData(0x1A, 0x02, "Zen 5")]      // EPYC 9005 (Turin)
    [InlineData(0x1A, 0x44, "Zen 5")]      // Ryzen 9000 (Granite Ridge)
    public void Zen_generations_follow_amds_family_and_model_ranges(int family, int model, string generation) =>
        Assert.Equal(generation, CpuDevice.ZenGeneration(family, model));

    [Theory]
    [InlineData(0x15, 0x02)] // Bulldozer's family: no Zen
    [InlineData(0x06, 0x8F)] // an Intel family
    public void Other_families_have_no_zen_generation(int family, int model) =>
        Assert.Null(CpuDevice.ZenGeneration(family, model));

    [SkippableFact]
    public void The_generation_is_cpuinfos_family_and_model_and_the_name_carries_it()
    {
        Skip.IfNot(X86Base.IsSupported && File.Exists("/proc/cpuinfo"), "Needs an x86 processor under Linux to compare CPUID with /proc/cpuinfo.");
        var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToArray();
        int Field(string name) => int.Parse(lines.First(l => l.Split(':')[0].Trim() == name).Split(':')[1].Trim());
        int family = Field("cpu family"), model = Field("model");

        Assert.NotNull(CpuDevice.Generation);
        Assert.EndsWith($"family {family} model {model}", CpuDevice.Generation);
        Assert.EndsWith($"({CpuDevice.Generation})", CpuDevice.Name);
        if (lines.Any(l => l.Contains("AuthenticAMD", StringComparison.Ordinal)) && CpuDevice.ZenGeneration(family, model) is { } zen)
            Assert.StartsWith(zen + ",", CpuDevice.Generation);
    }

    [Fact]
    public void A_name_without_a_generation_is_the_model_name_alone()
    {
        Assert.Equal("AMD EPYC", CpuDevice.Named("AMD EPYC", null));
        Assert.Equal("AMD EPYC (Zen 3, family 25 model 1)", CpuDevice.Named("AMD EPYC", "Zen 3, family 25 model 1"));
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("0,64\n", 2)]
    [InlineData("0-1", 2)]
    [InlineData("2-3,66-67", 4)]
    public void Counts_the_processors_a_linux_cpu_list_names(string list, int count) => Assert.Equal(count, CpuDevice.CountCpuList(list));

    [SkippableFact]
    public void Threads_per_core_agree_with_proc_cpuinfo()
    {
        // /proc/cpuinfo gives each package's logical processors ("siblings") and cores ("cpu cores").
        Skip.IfNot(File.Exists("/proc/cpuinfo"), "No /proc/cpuinfo here.");
        string[] lines = File.ReadAllLines("/proc/cpuinfo");
        string? Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':')[1].Trim();
        Skip.If(Field("siblings") is null || Field("cpu cores") is null, "/proc/cpuinfo does not give siblings and cores here.");
        Assert.Equal(int.Parse(Field("siblings")!) / int.Parse(Field("cpu cores")!), CpuDevice.ThreadsPerCore);
    }
}
