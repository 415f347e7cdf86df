namespace HashTensorBench.Energy;

/// <summary>The names of the energy sources, as <see cref="IEnergyMeter.Source"/> and reports give them.</summary>
public static class EnergySources
{
    /// <summary>Linux powercap RAPL package counters (<c>energy_uj</c>), summed over packages.</summary>
    public const string Rapl = "rapl";

    /// <summary>NVML's total energy counter (<c>nvmlDeviceGetTotalEnergyConsumption</c>, millijoules).</summary>
    public const string NvmlTotalEnergy = "nvml-total-energy";

    /// <summary>NVML's power reading (<c>nvmlDeviceGetPowerUsage</c>) sampled and integrated over time.</summary>
    public const string NvmlIntegratedPower = "nvml-integrated-power";

    /// <summary>No source: the device cannot be measured.</summary>
    public const string None = "none";
}
