using System.Runtime.InteropServices;
using HashTensorBench.Tensors;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c>, the anchor for the CPU GEMM, loaded at run time so that a machine
/// without it fails that one benchmark with a message (run <c>bench/setup</c>) instead of the whole run.
/// </summary>
internal sealed unsafe class OpenBlas
{
    public const string LibraryName = "libopenblas.so.0";

    private const int RowMajor = 101, NoTranspose = 111;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;

    private OpenBlas(nint library, int threads)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(library, "cblas_sgemm");
        ((delegate* unmanaged<int, void>)NativeLibrary.GetExport(library, "openblas_set_num_threads"))(threads);
        CoreName = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "openblas_get_corename"))()) ?? "?";
        Config = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "openblas_get_config"))()) ?? "?";
    }

    /// <summary>The kernel family OpenBLAS picked for this processor (OPENBLAS_CORETYPE overrides it).</summary>
    public string CoreName { get; }

    /// <summary>Version and build options.</summary>
    public string Config { get; }

    /// <summary>Loads OpenBLAS and sets its thread count.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS is not installed.</exception>
    public static OpenBlas Load(int threads)
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
            throw new InvalidOperationException($"OpenBLAS ({LibraryName}) is not installed, so there is no anchor to compare with: run bench/setup.");
        return new OpenBlas(library, threads);
    }

    /// <summary>C = A·B, row-major.</summary>
    public void Sgemm(GemmShape shape, float[] a, float[] b, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, NoTranspose, NoTranspose, shape.M, shape.N, shape.K, 1, pa, shape.K, pb, shape.N, 0, pc, shape.N);
    }
}
