namespace HashTensorBench.Tensors.Cpu;

/// <summary>The CPU GEMM micro-kernels, by instruction set.</summary>
public enum CpuGemmKernel
{
    /// <summary>A 4×4 tile of C in scalar registers; runs everywhere.</summary>
    Scalar,

    /// <summary>A 4×24 tile of C in twelve AVX2 registers, FMA3.</summary>
    Avx2,

    /// <summary>A 12×32 tile of C in twenty-four AVX-512 registers, <c>vfmadd231ps</c> on 16 floats.</summary>
    Avx512,
}
