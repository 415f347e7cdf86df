using System.Runtime.CompilerServices;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// The address of a view element inside an ILGPU kernel, for inline PTX that needs one (<c>cp.async</c>): ILGPU
/// 1.5.3 supports neither <c>Unsafe.AsPointer</c> nor <c>fixed</c> in kernels, but it lowers a ref field to the
/// pointer and <c>Unsafe.As</c> to a reinterpretation. Neither is a documented contract, so this is the one place
/// that relies on it (checked by a PTX test and, on the CPU accelerator, against the buffer's address).
/// </summary>
internal static class KernelAddress
{
    /// <summary>The generic address of <paramref name="element"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Of<T>(ref T element) where T : unmanaged
    {
        var box = new Box<T> { Element = ref element };
        return Unsafe.As<Box<T>, long>(ref box);
    }

    private ref struct Box<T>
    {
        public ref T Element;
    }
}
