using System.CommandLine;
using System.Text.Json;
using HashTensorBench.Devices;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Cli.Commands;

/// <summary><c>htb devices [--json]</c>: what this machine has to search and multiply with.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var json = Options.Json();
        var command = new Command("devices", "List the CPU and every CUDA device, or say why there is none.") { json };
        command.SetAction(result =>
        {
            using var devices = ComputeDevices.OpenAll();
            if (result.GetValue(json))
                WriteJson(output, devices);
            else
                WriteText(output, devices);
            return 0;
        });
        return command;
    }

    private static void WriteText(TextWriter output, ComputeDevices devices)
    {
        // The kernels this machine cannot run, each with why: a generated kernel whose memory could not be made
        // executable says so here, once.
        var missing = Enum.GetValues<CpuSha256dKernel>()
            .Where(k => CpuSha256dKernels.WhyNotSupported(k) is not null)
            .Select(k => $"{k.ToString().ToLowerInvariant()} ({CpuSha256dKernels.WhyNotSupported(k)})")
            .ToArray();
        // Threads per core decide whether the hybrid sha256d kernel goes first (see CpuSha256dKernels.Supported).
        string perCore = CpuDevice.ThreadsPerCore is int threads ? $" ({threads} per core)" : "";
        output.WriteLine($"cpu     {CpuDevice.Name}, {CpuDevice.LogicalProcessors} logical processors{perCore}; " +
            $"sha256d kernels: {string.Join(", ", CpuSha256dKernels.Supported).ToLowerInvariant()}" +
            (missing.Length > 0 ? $"; not here: {string.Join(", ", missing)}" : ""));
        foreach (var device in devices)
        {
            if (device.Gpu is { } gpu)
                output.WriteLine(gpu);
        }
        if (CudaDiscovery.Current.Reason is { } none)
            output.WriteLine($"cuda    none: {none}");
        output.WriteLine($"gemm    cpu: {Types(DeviceId.Cpu)}; cuda: {Types(DeviceId.EveryGpu)}");
    }

    private static string Types(DeviceId device) => string.Join(" ", MatrixMultipliers.ElementTypes(device).Select(t => t.Name));

    // One object: every device with its kernels, memory and energy source (or why none), and why there is no CUDA
    // device when there is none.
    private static void WriteJson(TextWriter output, ComputeDevices devices)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("devices");
            foreach (var device in devices)
                WriteDevice(writer, device);
            writer.WriteEndArray();
            if (CudaDiscovery.Current.Reason is { } none)
                writer.WriteString("cuda_unavailable", none);
            else
                writer.WriteNull("cuda_unavailable");
            writer.WriteEndObject();
        });
    }

    private static void WriteDevice(Utf8JsonWriter writer, ComputeDevice device)
    {
        writer.WriteStartObject();
        writer.WriteString("id", device.Id.ToString());
        writer.WriteString("name", device.Name);
        writer.WriteString("kind", device.Id.Kind.ToString().ToLowerInvariant());
        if (device.MemoryBytes is long bytes)
            writer.WriteNumber("memory_bytes", bytes);
        else
            writer.WriteNull("memory_bytes");
        writer.WriteStartObject("kernels");
        writer.WriteString("sha256d", device.SearchKernel);
        foreach (var type in device.ElementTypes)
            writer.WriteString($"gemm_{type.Name}", device.GemmKernel(type));
        writer.WriteEndObject();
        using (var meter = device.OpenEnergyMeter())
        {
            writer.WriteStartObject("energy");
            writer.WriteString("source", meter.Source);
            writer.WriteBoolean("available", meter.UnavailableReason is null);
            if (meter.UnavailableReason is { } reason)
                writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }
        if (device.Gpu is { } gpu)
        {
            writer.WriteStartObject("cuda");
            writer.WriteNumber("multiprocessors", gpu.Multiprocessors);
            writer.WriteNumber("clock_mhz", gpu.ClockMHz);
            writer.WriteString("driver", gpu.DriverVersion);
            writer.WriteString("architecture", gpu.Architecture);
            writer.WriteString("ptx_target", gpu.PtxTarget);
            writer.WriteString("pci_bus_id", gpu.PciBusId);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
