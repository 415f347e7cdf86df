using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// One packing buffer per thread, kept between products: a fresh one of a few MiB would be mapped and
/// page-faulted in on every call, which costs a tenth of a 512³ product. It lives on the pinned object
/// heap, so its address holds still and the thread's death frees it.
/// </summary>
internal static unsafe class PackBuffer
{
    [ThreadStatic]
    private static float[]? t_buffer;

    // The packed block (of B, or of A) that the threads of one product share: rented by the thread that starts the
    // product, which also rents its own buffer above while it runs a part.
    [ThreadStatic]
    private static float[]? t_shared;

    /// <summary>At least <paramref name="floats"/> floats, 64-byte aligned, valid until this thread's next call.</summary>
    public static float* Rent(int floats) => RentFrom(ref t_buffer, floats);

    /// <summary>
    /// A second buffer of this thread, apart from <see cref="Rent(int)"/>'s: the packed block that the threads of a
    /// product started on this thread share.
    /// </summary>
    public static float* RentShared(int floats) => RentFrom(ref t_shared, floats);

    private static float* RentFrom(ref float[]? slot, int floats)
    {
        // 15 floats of slack to align the start to 64 bytes.
        float[]? buffer = slot;
        if (buffer is null || buffer.Length < floats + 15)
            slot = buffer = GC.AllocateUninitializedArray<float>(floats + 15, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((address + 63) & ~(nint)63);
    }
}
