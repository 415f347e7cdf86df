using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;
using HashTensorBench.Tensors.Cuda;
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
    /// The CPU: sha256d, then the GEMM in FP32, BF16 and the type AI is priced by, 1024³ (256³ quick). Every CPU type
    /// runs on the FP32 kernels (the narrow ones are widened while packing), so the others would only repeat FP32.
    /// </summary>
    public static DevicePlan Cpu(bool quick, GemmElementType aiFormat)
    {
        int n = quick ? 256 : 1024;
        var shape = new GemmShape(n, n, n);
        Workload Gemm(GemmElementType type) => new($"gemm {type.Name} {shape}", WorkUnits.Of(type), type, (meter, time, progress, ct) =>
        {
            using var cpu = new CpuMatrixMultiplier();
            return GemmRate.Measure(cpu, GemmOperands.Create(shape, type, GemmRate.Seed, ct), meter, time, progress, ct);
        });
        return new DevicePlan(DeviceId.Cpu, CpuDevice.Name, EnergyMeters.ForCpu,
        [
            new("sha256d", WorkUnits.Hash, null, (meter, time, progress, ct) => HashRate.Measure(new CpuNonceSearcher(), meter, time, progress, ct)),
            .. new[] { GemmElementType.Fp32, GemmElementType.Bf16, aiFormat }.Distinct().Select(Gemm),
        ], null);
    }

    /// <summary>
    /// A CUDA GPU: sha256d, then the GEMM in every element type it has a kernel for, 8192³ (2048³ quick), with the
    /// operands on the device: the rate is the kernel's, not the PCIe bus's.
    /// </summary>
    public static DevicePlan Gpu(GpuDevice device, bool quick)
    {
        ArgumentNullException.ThrowIfNull(device);
        int n = quick ? 2048 : 8192;
        var shape = new GemmShape(n, n, n);
        Workload Gemm(GemmElementType type) => new($"gemm {type.Name} {shape}", WorkUnits.Of(type), type, (meter, time, progress, ct) =>
        {
            using var gpu = IlgpuMatrixMultiplier.ForCuda(device.Index);
            using var session = gpu.Prepare(GemmOperands.Create(shape, type, GemmRate.Seed, ct));
            return GemmRate.Measure(session, meter, time, progress, ct);
        });
        return new DevicePlan(DeviceId.Cuda(device.Index), device.Name, () => EnergyMeters.ForGpu(device.PciBusId),
        [
            new("sha256d", WorkUnits.Hash, null, (meter, time, progress, ct) =>
            {
                using var searcher = IlgpuNonceSearcher.ForCuda(device.Index);
                return HashRate.Measure(searcher, meter, time, progress, ct);
            }),
            .. GpuGemmKernels.ElementTypes.Select(Gemm),
        ], MarketReferences.GpuRental(device.Name));
    }

    /// <summary>The CPU and every CUDA device <paramref name="discovery"/> found.</summary>
    public static IReadOnlyList<DevicePlan> All(CudaDiscovery discovery, bool quick, GemmElementType aiFormat)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        return [Cpu(quick, aiFormat), .. discovery.Devices.Select(d => Gpu(d, quick))];
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
