using System.Globalization;
using HashTensorBench.Platform.Cuda;
namespace HashTensorBench.Devices;

/// <summary>What a <see cref="DeviceId"/> names.</summary>
public enum DeviceKind
{
    /// <summary>The host processor: <c>cpu</c>.</summary>
    Cpu,

    /// <summary>One CUDA device: <c>cuda:N</c>.</summary>
    Cuda,

    /// <summary>Every CUDA device, or the CPU when there is none: <c>gpu</c>.</summary>
    EveryGpu,

    /// <summary>The GPU kernels on ILGPU's CPU accelerator: <c>ilgpu-cpu</c>.</summary>
    IlgpuCpu,
}

/// <summary>
/// A device as the command line, the reports and the benchmarks name it: <c>cpu</c>, <c>cuda:N</c>, <c>gpu</c> or
/// <c>ilgpu-cpu</c>, case-insensitive. The one parser of device names: every command and benchmark takes this type,
/// so <c>gpu</c> means the same everywhere.
/// </summary>
/// <param name="Kind">What it names.</param>
/// <param name="Index">The CUDA device index for <see cref="DeviceKind.Cuda"/>; 0 otherwise.</param>
public readonly record struct DeviceId(DeviceKind Kind, int Index = 0)
{
    /// <summary>The names <see cref="Parse"/> accepts, for messages and help.</summary>
    public const string Names = "cpu, cuda:N, gpu (every CUDA device, else the CPU) or ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator)";

    /// <summary>The host processor.</summary>
    public static DeviceId Cpu => new(DeviceKind.Cpu);

    /// <summary>Every CUDA device.</summary>
    public static DeviceId EveryGpu => new(DeviceKind.EveryGpu);

    /// <summary>ILGPU's CPU accelerator.</summary>
    public static DeviceId IlgpuCpu => new(DeviceKind.IlgpuCpu);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static DeviceId Cuda(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceKind.Cuda, index);
    }

    /// <summary>Whether this is one CUDA device.</summary>
    public bool IsCuda => Kind == DeviceKind.Cuda;

    /// <summary>Parses a device name.</summary>
    /// <exception cref="ArgumentException">It names no device; the message lists what does.</exception>
    public static DeviceId Parse(string text) => TryParse(text, out var id)
        ? id
        : throw new ArgumentException($"Unknown device \"{text}\"; expected {Names}.", nameof(text));

    /// <summary>Parses a device name; false when it names none.</summary>
    public static bool TryParse(string? text, out DeviceId id)
    {
        string name = (text ?? "").Trim().ToLowerInvariant();
        (bool ok, id) = name switch
        {
            "cpu" => (true, Cpu),
            "gpu" => (true, EveryGpu),
            "ilgpu-cpu" => (true, IlgpuCpu),
            _ when name.StartsWith(GpuDevice.IdPrefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(GpuDevice.IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index) => (true, new DeviceId(DeviceKind.Cuda, index)),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The devices this names one by one: <c>gpu</c> becomes every CUDA device, or the CPU (saying why to <paramref name="notice"/>) when there is none.</summary>
    public IReadOnlyList<DeviceId> Expand(Action<string>? notice = null)
    {
        if (Kind != DeviceKind.EveryGpu)
            return [this];
        var discovery = CudaDiscovery.Current;
        if (discovery.Devices.Count > 0)
            return [.. discovery.Devices.Select(d => Cuda(d.Index))];
        notice?.Invoke($"no CUDA device: {discovery.Reason}; using the CPU instead.");
        return [Cpu];
    }

    /// <summary>
    /// The devices this names one by one, each present here: unlike <see cref="Expand"/>, <c>gpu</c> never falls back to
    /// the CPU, so that a check of the GPUs cannot pass on the CPU.
    /// </summary>
    /// <exception cref="GpuException">This names a CUDA device, or every one, and there is no such device here.</exception>
    public IReadOnlyList<DeviceId> ExpandPresent()
    {
        if (Kind is DeviceKind.Cpu or DeviceKind.IlgpuCpu)
            return [this];
        var discovery = CudaDiscovery.Current;
        if (discovery.Devices.Count == 0)
            throw new GpuException(ToString(), $"no CUDA device: {discovery.Reason}");
        if (Kind == DeviceKind.EveryGpu)
            return [.. discovery.Devices.Select(d => Cuda(d.Index))];
        return Index < discovery.Devices.Count
            ? [this]
            : throw new GpuException(ToString(), $"no such device; this machine has {GpuDevice.IdOf(0)} to {GpuDevice.IdOf(discovery.Devices.Count - 1)}");
    }

    /// <summary>The name, as <see cref="Parse"/> reads it.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Cuda => GpuDevice.IdOf(Index),
        DeviceKind.EveryGpu => "gpu",
        _ => "ilgpu-cpu",
    };
}
