using HashTensorBench.Hashing;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Devices;

/// <summary>
/// The devices a <see cref="DeviceId"/> names, each opened once: one, or for <c>gpu</c> every CUDA device (the CPU, with
/// a notice saying why, where there is none). Disposing the set closes them all.
/// </summary>
public sealed class ComputeDevices : IReadOnlyList<ComputeDevice>, IDisposable
{
    private readonly IReadOnlyList<ComputeDevice> _devices;

    private ComputeDevices(IReadOnlyList<ComputeDevice> devices) => _devices = devices;

    /// <summary>Opens the devices <paramref name="id"/> names.</summary>
    /// <param name="id">Any device name; <c>gpu</c> opens every CUDA device.</param>
    /// <param name="notice">Told when <c>gpu</c> falls back to the CPU, and why.</param>
    /// <exception cref="GpuException">A named CUDA device is not on this machine.</exception>
    public static ComputeDevices Open(DeviceId id, Action<string>? notice = null) =>
        new([.. id.Expand(notice).Select(ComputeDevice.Open)]);

    /// <summary>
    /// Opens the devices a comma-separated list names (<c>cpu,cuda:0</c>; <c>gpu</c> is every CUDA device, else the CPU
    /// with a notice saying why), each once, in the order named.
    /// </summary>
    /// <exception cref="ArgumentException">A name is no device, or none is named.</exception>
    /// <exception cref="GpuException">A named CUDA device is not on this machine.</exception>
    public static ComputeDevices Open(string names, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var ids = new List<DeviceId>();
        foreach (string name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DeviceId.TryParse(name, out var id))
                throw new ArgumentException($"Unknown device \"{name}\"; expected {DeviceId.Names}.", "devices");
            ids.AddRange(id.Expand(notice));
        }
        return ids.Count == 0
            ? throw new ArgumentException("name at least one device, such as cpu or cuda:0.", "devices")
            : new([.. ids.Distinct().Select(ComputeDevice.Open)]);
    }

    /// <summary>The CPU and every CUDA device of this machine, in that order.</summary>
    public static ComputeDevices OpenAll() =>
        new([ComputeDevice.Open(DeviceId.Cpu), .. CudaDiscovery.Current.Devices.Select(d => new CudaComputeDevice(d))]);

    /// <summary>
    /// Nonces per search call when the work is open-ended: each device's <see cref="ComputeDevice.PreferredChunk"/>, as
    /// <see cref="CreateSearcher"/> splits a range across them, at most the whole nonce space.
    /// </summary>
    public long PreferredChunk => Math.Min(NonceRange.NonceCount, _devices.Sum(d => d.PreferredChunk));

    /// <summary>One searcher over every device: its own, or for several a search that splits each range across them.</summary>
    /// <exception cref="GpuException">A GPU fails to open or to load the kernel.</exception>
    public INonceSearcher CreateSearcher(int? cpuThreads = null, Action<string>? notice = null) =>
        Combine(device => device.CreateSearcher(cpuThreads, notice));

    // As CreateSearcher, but each device's searcher closes its device, so the search owns them all.
    internal INonceSearcher TakeSearcher(int? cpuThreads, Action<string>? notice) =>
        Combine(device => device.TakeSearcher(cpuThreads, notice));

    private INonceSearcher Combine(Func<ComputeDevice, INonceSearcher> create)
    {
        if (_devices.Count == 1)
            return create(_devices[0]);
        var opened = new List<INonceSearcher>();
        try
        {
            foreach (var device in _devices)
                opened.Add(create(device));
        }
        catch
        {
            foreach (var searcher in opened)
                searcher.Dispose();
            throw;
        }
        return new MultiDeviceNonceSearcher(opened);
    }

    /// <inheritdoc/>
    public int Count => _devices.Count;

    /// <inheritdoc/>
    public ComputeDevice this[int index] => _devices[index];

    /// <inheritdoc/>
    public IEnumerator<ComputeDevice> GetEnumerator() => _devices.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var device in _devices)
            device.Dispose();
    }
}
