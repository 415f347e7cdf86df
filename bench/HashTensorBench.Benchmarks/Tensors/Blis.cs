using System.Runtime.InteropServices;
using HashTensorBench.Tensors;

namespace HashTensorBench.Benchmarks.Tensors;

/// <summary>
/// BLIS's <c>cblas_sgemm</c> (its CBLAS layer over the BLIS micro-kernels), the second anchor for the CPU GEMM
/// where it is installed (Debian's <c>libblis4</c>, which <c>bench/setup</c> installs); loaded at run time like
/// <see cref="OpenBlas"/>, so that a machine without it fails that one benchmark with a message.
/// </summary>
internal sealed unsafe class Blis
{
    public const string LibraryName = "libblis.so.4";

    private const int RowMajor = 101, NoTranspose = 111;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;

    private Blis(nint library, int threads)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(library, "cblas_sgemm");
        ((delegate* unmanaged<long, void>)NativeLibrary.GetExport(library, "bli_thread_set_num_threads"))(threads);
        Version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "bli_info_get_version_str"))()) ?? "?";
        int arch = ((delegate* unmanaged<int>)NativeLibrary.GetExport(library, "bli_arch_query_id"))();
        Architecture = Marshal.PtrToStringUTF8(((delegate* unmanaged<int, nint>)NativeLibrary.GetExport(library, "bli_arch_string"))(arch)) ?? "?";
    }

    /// <summary>The BLIS version.</summary>
    public string Version { get; }

    /// <summary>The sub-configuration (kernel set) BLIS picked for this processor (BLIS_ARCH_TYPE overrides it).</summary>
    public string Architecture { get; }

    /// <summary>Loads BLIS and sets its thread count.</summary>
    /// <exception cref="InvalidOperationException">BLIS is not installed.</exception>
    public static Blis Load(int threads)
    {
        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
            throw new InvalidOperationException($"BLIS ({LibraryName}) is not installed, so there is no second anchor: run bench/setup.");
        return new Blis(library, threads);
    }

    /// <summary>C = A·B, row-major.</summary>
    public void Sgemm(GemmShape shape, float[] a, float[] b, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, NoTranspose, NoTranspose, shape.M, shape.N, shape.K, 1, pa, shape.K, pb, shape.N, 0, pc, shape.N);
    }
}
