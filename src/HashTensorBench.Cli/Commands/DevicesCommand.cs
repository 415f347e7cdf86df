using System.CommandLine;
using HashTensorBench.Devices;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Cli.Commands;

/// <summary><c>htb devices</c>: what this machine has to search and multiply with.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("devices", "List the CPU and every CUDA device, or say why there is none.");
        command.SetAction(_ =>
        {
            // The kernels this machine cannot run, each with why: a generated kernel whose memory could not be made
            // executable says so here, once.
            var missing = Enum.GetValues<CpuSha256dKernel>()
                .Where(k => CpuSha256dKernels.WhyNotSupported(k) is not null)
                .Select(k => $"{k.ToString().ToLowerInvariant()} ({CpuSha256dKernels.WhyNotSupported(k)})")
                .ToArray();
            output.WriteLine($"cpu     {CpuDevice.Name}, {CpuDevice.LogicalProcessors} logical processors; " +
                $"sha256d kernels: {string.Join(", ", CpuSha256dKernels.Supported).ToLowerInvariant()}" +
                (missing.Length > 0 ? $"; not here: {string.Join(", ", missing)}" : ""));
            var discovery = CudaDiscovery.Run();
            foreach (var device in discovery.Devices)
                output.WriteLine(device);
            if (discovery.Devices.Count == 0)
                output.WriteLine($"cuda    none: {discovery.Reason}");
            output.WriteLine($"gemm    cpu: {Types(DeviceId.Cpu)}; cuda: {Types(DeviceId.EveryGpu)}");
            return 0;
        });
        return command;
    }

    private static string Types(DeviceId device) => string.Join(" ", MatrixMultipliers.ElementTypes(device).Select(t => t.Name));
}
