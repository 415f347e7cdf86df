using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Gpu;

/// <summary>
/// Compiles kernels to PTX with ILGPU's PTX backend, on any machine: no GPU or driver is needed, so tests
/// and <c>ptxas</c> can inspect what a GPU would run.
/// </summary>
internal static class PtxCompiler
{
    /// <summary>The PTX of an implicitly grouped kernel.</summary>
    /// <param name="kernel">The kernel method.</param>
    /// <param name="architecture">The GPU architecture, SM_90 for H100/H200.</param>
    /// <param name="instructionSet">The PTX ISA; ISA_78 is the newest that CUDA 11.8's ptxas accepts.</param>
    public static string Compile(MethodInfo kernel, CudaArchitecture architecture, CudaInstructionSet instructionSet)
    {
        using var context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, instructionSet, nvvmAPI: null!);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        return ((PTXCompiledKernel)backend.Compile(entry, default)).PTXAssembly;
    }
}
