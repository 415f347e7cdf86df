using System.Globalization;

namespace HashTensorBench.Tests.Energy;

/// <summary>A powercap tree in a temporary folder, laid out as Linux lays out /sys/class/powercap.</summary>
internal sealed class FakePowercap : IDisposable
{
    public FakePowercap() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "htb-powercap-" + Guid.NewGuid().ToString("N"));

    /// <summary>Adds a zone folder (<c>intel-rapl:0</c>, <c>intel-rapl:0:1</c>, …).</summary>
    public void AddZone(string folder, string name, ulong energyMicrojoules, ulong rangeMicrojoules)
    {
        var path = Path.Combine(Root, folder);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "name"), name + "\n");
        File.WriteAllText(Path.Combine(path, "max_energy_range_uj"), rangeMicrojoules.ToString(CultureInfo.InvariantCulture) + "\n");
        SetEnergy(folder, energyMicrojoules);
    }

    public void SetEnergy(string folder, ulong microjoules) =>
        File.WriteAllText(Path.Combine(Root, folder, "energy_uj"), microjoules.ToString(CultureInfo.InvariantCulture) + "\n");

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
