using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// Compiles kernels to PTX with ILGPU's PTX backend, on any machine: no GPU or driver is needed, so tests
/// and <c>ptxas</c> can inspect what a GPU would run.
/// </summary>
internal static class PtxCompiler
{
    /// <summary>The PTX of a kernel.</summary>
    /// <param name="kernel">The kernel method: implicitly grouped when its first parameter is an index, explicitly grouped (shared memory, barriers) otherwise.</param>
    /// <param name="architecture">The GPU architecture, SM_90 for H100/H200.</param>
    /// <param name="instructionSet">The PTX ISA; ISA_78 is the newest that CUDA 11.8's ptxas accepts.</param>
    /// <param name="specialization">Launch bounds, as the accelerator loads the kernel with.</param>
    /// <param name="promoteLocals">Pass the PTX through <see cref="PtxLocalPromotion"/>, as <see cref="PromotedKernelLoader"/> loads it.</param>
    public static string Compile(MethodInfo kernel, CudaArchitecture architecture, CudaInstructionSet instructionSet,
        KernelSpecialization specialization = default, bool promoteLocals = false)
    {
        using var context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, instructionSet, nvvmAPI: null!);
        var parameters = kernel.GetParameters();
        var entry = parameters.Length > 0 && parameters[0].ParameterType.IsAssignableTo(typeof(IIndex))
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        string ptx = ((PTXCompiledKernel)backend.Compile(entry, specialization)).PTXAssembly;
        return promoteLocals ? PtxLocalPromotion.Run(ptx, out _) : ptx;
    }
}
