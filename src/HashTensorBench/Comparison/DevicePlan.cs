using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Workloads;

namespace HashTensorBench.Comparison;

/// <summary>One measurement of a comparison: a name for the report, its unit, and how it runs inside an energy window.</summary>
/// <param name="Name">Such as <c>sha256d</c> or <c>gemm bf16 8192x8192x8192</c>.</param>
/// <param name="Unit">A <see cref="WorkUnits"/> unit.</param>
/// <param name="ElementType">The GEMM's element type; null for hashing.</param>
/// <param name="Run">Measures for the given time with the given meter.</param>
public sealed record Workload(string Name, string Unit, GemmElementType? ElementType,
    Func<IEnergyMeter, TimeSpan, IProgress<double>, CancellationToken, TimedRun> Run);

/// <summary>What a comparison measures on one device, with the meter that counts its energy and its rental price.</summary>
/// <param name="Id">The device.</param>
/// <param name="Name">The product name.</param>
/// <param name="Meter">Opens the device's energy meter (once per workload: each is its own window).</param>
/// <param name="Workloads">In the order they run.</param>
/// <param name="Rental">The typical rent of this GPU model; null for the CPU, which has no rental market.</param>
public sealed record DevicePlan(DeviceId Id, string Name, Func<IEnergyMeter> Meter, IReadOnlyList<Workload> Workloads, MarketInput? Rental)
{
    /// <summary>
    /// What <c>compare</c> measures on <paramref name="device"/> (<see cref="Of"/>). The CPU: sha256d, then the GEMM in
    /// FP32, BF16 and the type AI is priced by, 1024³ (256³ quick); every CPU type runs on the FP32 kernels (the narrow
    /// ones are widened while packing), so the others would only repeat FP32. A device of the GPU kernels: sha256d, then
    /// the GEMM in every type it has a kernel for, 8192³ (2048³ quick).
    /// </summary>
    public static DevicePlan For(ComputeDevice device, bool quick, GemmElementType aiFormat)
    {
        ArgumentNullException.ThrowIfNull(device);
        bool gpu = device is IlgpuComputeDevice;
        int n = (gpu, quick) switch { (false, true) => 256, (false, false) => 1024, (true, true) => 2048, _ => 8192 };
        return Of(device, new GemmShape(n, n, n), gpu ? device.ElementTypes : new[] { GemmElementType.Fp32, GemmElementType.Bf16, aiFormat }.Distinct());
    }

    /// <summary>
    /// <paramref name="device"/>'s sha256d search, then its GEMM of <paramref name="shape"/> in each of
    /// <paramref name="types"/>: on a device of the GPU kernels with the operands on the device (the kernel's rate, not
    /// the PCIe bus's), on the CPU as a caller multiplies. A GPU carries its model's typical rent.
    /// </summary>
    public static DevicePlan Of(ComputeDevice device, GemmShape shape, IEnumerable<GemmElementType> types)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(types);
        Workload Gemm(GemmElementType type) => new($"gemm {type.Name} {shape}", WorkUnits.Of(type), type, (meter, time, progress, ct) =>
        {
            var operands = GemmOperands.Create(shape, type, GemmRate.Seed, ct);
            if (device is IlgpuComputeDevice gpu)
            {
                using var session = gpu.Prepare(operands);
                return GemmRate.Measure(session, meter, time, progress, ct);
            }
            using var multiplier = device.CreateMultiplier();
            return GemmRate.Measure(multiplier, operands, meter, time, progress, ct);
        });
        return new DevicePlan(device.Id, device.Name, device.OpenEnergyMeter,
        [
            new("sha256d", WorkUnits.Hash, null, (meter, time, progress, ct) =>
            {
                using var searcher = device.CreateSearcher();
                return HashRate.Measure(searcher, meter, time, progress, ct);
            }),
            .. types.Select(Gemm),
        ], device.Gpu is { } cuda ? MarketReferences.GpuRental(cuda.Name) : null);
    }

    /// <summary>The plans of <paramref name="devices"/>, in their order.</summary>
    public static IReadOnlyList<DevicePlan> All(IEnumerable<ComputeDevice> devices, bool quick, GemmElementType aiFormat)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return [.. devices.Select(d => For(d, quick, aiFormat))];
    }

    /// <summary>
    /// The plans of the devices <paramref name="wanted"/> names (comma-separated, as every command reads them; <c>gpu</c>
    /// is every CUDA device, else the CPU with a notice saying why), in <paramref name="plans"/>' order.
    /// </summary>
    /// <exception cref="ArgumentException">A name is malformed, names no device here, or none is named.</exception>
    /// <exception cref="GpuException">A CUDA device it names is not on this machine.</exception>
    public static IReadOnlyList<DevicePlan> Select(IReadOnlyList<DevicePlan> plans, string wanted, Action<string> notice)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(wanted);
        var ids = new List<DeviceId>();
        foreach (string name in wanted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DeviceId.TryParse(name, out var id))
                throw new ArgumentException($"Unknown device \"{name}\"; expected {DeviceId.Names}.", "devices");
            foreach (var one in id.Expand(notice))
            {
                if (!plans.Any(p => p.Id == one))
                {
                    string found = string.Join(", ", plans.Select(p => p.Id));
                    // A CUDA device that is not here is a missing device (exit 3), as everywhere else, not a bad name.
                    throw one.IsCuda
                        ? new GpuException(one.ToString(), $"no such device here; found {found}.")
                        : new ArgumentException($"no device \"{one}\" here; found {found}.", "devices");
                }
                ids.Add(one);
            }
        }
        return ids.Count == 0
            ? throw new ArgumentException("name at least one device, such as cpu or cuda:0.", "devices")
            : [.. plans.Where(p => ids.Contains(p.Id))];
    }
}
