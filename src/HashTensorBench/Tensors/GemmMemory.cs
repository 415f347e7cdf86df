using System.Globalization;

namespace HashTensorBench.Tensors;

/// <summary>
/// The memory a product needs, in bytes, and the check against what a device has, made before anything is
/// allocated: an operand of gigabytes otherwise fails late, after its inputs were filled.
/// </summary>
public static class GemmMemory
{
    private const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>Bytes a device holds for one product: A and B in <paramref name="dataType"/>, C in FP32.</summary>
    public static long DeviceBytes(GemmShape shape, GemmDataType dataType) => shape.ABytes(dataType) + shape.BBytes(dataType) + shape.CBytes;

    /// <summary>
    /// Bytes <see cref="GemmMeasurement.Run"/> allocates
    /// on the host: A, B and C in FP32, and for FP16 also A and B as halves.
    /// </summary>
    public static long HostBytes(GemmShape shape, GemmDataType dataType) =>
        DeviceBytes(shape, GemmDataType.Fp32) + (dataType == GemmDataType.Fp16 ? shape.ABytes(dataType) + shape.BBytes(dataType) : 0);

    /// <summary>
    /// The host memory available to this process: the kernel's estimate (<c>MemAvailable</c> in /proc/meminfo)
    /// where there is one, capped by the runtime's limit (a container's); null when neither is known.
    /// </summary>
    public static long? AvailableHostBytes()
    {
        long? available = null;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    continue;
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kib))
                    available = kib * 1024;
                break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the runtime's figure below.
        }
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (limit > 0)
            available = available is long known ? Math.Min(known, limit) : limit;
        return available;
    }

    /// <summary>Throws, saying what would be needed and what is there, when the product does not fit in <paramref name="availableBytes"/>.</summary>
    /// <param name="shape">The sizes.</param>
    /// <param name="dataType">The element type of A and B.</param>
    /// <param name="availableBytes">What the device has.</param>
    /// <param name="where">The memory, in words, such as "host RAM available" or "cuda:0's free memory".</param>
    /// <param name="hostBytes">Count the host's copies (<see cref="HostBytes"/>) rather than the device's buffers (<see cref="DeviceBytes"/>).</param>
    /// <exception cref="ArgumentException">The product needs more than <paramref name="availableBytes"/>.</exception>
    public static void CheckFits(GemmShape shape, GemmDataType dataType, long availableBytes, string where, bool hostBytes = true)
    {
        long needed = hostBytes ? HostBytes(shape, dataType) : DeviceBytes(shape, dataType);
        if (needed <= availableBytes)
            return;
        string type = dataType.ToString().ToLowerInvariant();
        ThrowHelper.ThrowArgument("shape", string.Create(CultureInfo.InvariantCulture,
            $"A, B and C of {shape} ({type}) need {needed / GiB:F2} GiB (A {shape.ABytes(hostBytes ? GemmDataType.Fp32 : dataType) / GiB:F2} GiB, " +
            $"B {shape.BBytes(hostBytes ? GemmDataType.Fp32 : dataType) / GiB:F2} GiB, C {shape.CBytes / GiB:F2} GiB" +
            $"{(hostBytes && dataType == GemmDataType.Fp16 ? $", and their halves {(shape.ABytes(dataType) + shape.BBytes(dataType)) / GiB:F2} GiB" : "")}); " +
            $"{where} is {availableBytes / GiB:F2} GiB."));
    }
}
