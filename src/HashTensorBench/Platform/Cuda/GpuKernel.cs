using System.Reflection;
using ILGPU.Runtime;

namespace HashTensorBench.Platform.Cuda;

/// <summary>A kernel method and the launch bounds it is compiled with.</summary>
/// <param name="Method">The static kernel method.</param>
/// <param name="Specialization">
/// Threads per block and blocks per multiprocessor the kernel is built for; ILGPU writes them as PTX
/// <c>.maxntid</c>/<c>.minnctapersm</c>, which cap ptxas's register use. Default: none.
/// </param>
/// <param name="PromoteLocals">
/// Whether the kernel is loaded with its PTX rewritten so that ILGPU's inline-PTX operand slots become registers
/// (kernels with <c>cp.async</c>, <see cref="PtxLocalPromotion"/>); the exported PTX is then the rewritten one, what the GPU runs.
/// </param>
public sealed record GpuKernel(MethodInfo Method, KernelSpecialization Specialization, bool PromoteLocals = false);
