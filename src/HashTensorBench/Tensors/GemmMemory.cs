using System.Globalization;

namespace HashTensorBench.Tensors;

/// <summary>
/// The memory a product needs, in bytes, and the check against what a device has, made before anything is
/// allocated: an operand of gigabytes otherwise fails late, after its inputs were filled.
/// </summary>
public static class GemmMemory
{
    private const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>
    /// Bytes one product holds, on a device or on the host (<see cref="GemmOperands"/>): A and B in
    /// <paramref name="type"/>'s inputs, C in its accumulators.
    /// </summary>
    public static long Bytes(GemmShape shape, GemmElementType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return shape.ABytes(type) + shape.BBytes(type) + shape.CBytes;
    }

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
    /// <param name="type">The element type.</param>
    /// <param name="availableBytes">What the device has.</param>
    /// <param name="where">The memory, in words, such as "host RAM available" or "cuda:0's free memory".</param>
    /// <exception cref="ArgumentException">The product needs more than <paramref name="availableBytes"/>.</exception>
    public static void CheckFits(GemmShape shape, GemmElementType type, long availableBytes, string where)
    {
        long needed = Bytes(shape, type);
        if (needed <= availableBytes)
            return;
        ThrowHelper.ThrowArgument("shape", string.Create(CultureInfo.InvariantCulture,
            $"A, B and C of {shape} ({type.Name}) need {needed / GiB:F2} GiB (A {shape.ABytes(type) / GiB:F2} GiB, " +
            $"B {shape.BBytes(type) / GiB:F2} GiB, C {shape.CBytes / GiB:F2} GiB); {where} is {availableBytes / GiB:F2} GiB."));
    }
}
