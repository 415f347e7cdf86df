using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// Loads an explicitly grouped kernel on a CUDA accelerator with its PTX passed through
/// <see cref="PtxLocalPromotion"/>, and lets it use more than 48 KB of dynamic shared memory.
/// </summary>
/// <remarks>
/// ILGPU 1.5.3 has no hook between code generation and loading, and <see cref="PTXCompiledKernel"/>'s constructor and
/// <c>CompiledKernel.EntryPoint</c> are internal: the rewritten text goes into a new compiled kernel built by
/// reflection (a test checks that these members still exist). ILGPU never calls <c>cuFuncSetAttribute</c>, which a
/// block needs before it may request more than 48 KB.
/// </remarks>
internal static unsafe class PromotedKernelLoader
{
    /// <summary>The dynamic shared memory every block may use without opting in.</summary>
    public const int DefaultDynamicSharedBytes = 48 * 1024;

    // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES in cuda.h.
    private const int MaxDynamicSharedSizeBytes = 8;

    private static readonly Lazy<IntPtr> s_setAttribute = new(() =>
    {
        foreach (string candidate in NativeLibraries.Candidates("cuda"))
        {
            if (NativeLibrary.TryLoad(candidate, out var library) && NativeLibrary.TryGetExport(library, "cuFuncSetAttribute", out var function))
                return function;
        }
        throw new DllNotFoundException("cuFuncSetAttribute: the NVIDIA driver's library (libcuda) could not be loaded.");
    });

    /// <summary>Compiles <paramref name="method"/> for <paramref name="accelerator"/>, rewrites its PTX, loads it and raises its shared-memory limit.</summary>
    /// <param name="accelerator">The CUDA accelerator.</param>
    /// <param name="method">An explicitly grouped kernel.</param>
    /// <param name="specialization">Launch bounds.</param>
    /// <param name="dynamicSharedBytes">The dynamic shared memory a launch will request.</param>
    /// <exception cref="CudaException">The driver refused the module or the attribute.</exception>
    public static Kernel Load(CudaAccelerator accelerator, MethodInfo method, KernelSpecialization specialization, int dynamicSharedBytes)
    {
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)accelerator.Backend.Compile(entry, specialization);
        var kernel = accelerator.LoadKernel(WithPtx(compiled, PtxLocalPromotion.Run(compiled.PTXAssembly, out _)));
        if (dynamicSharedBytes > DefaultDynamicSharedBytes)
        {
            accelerator.Bind();
            var setAttribute = (delegate* unmanaged<IntPtr, int, int, CudaError>)s_setAttribute.Value;
            CudaException.ThrowIfFailed(setAttribute(((CudaKernel)kernel).FunctionPtr, MaxDynamicSharedSizeBytes, dynamicSharedBytes));
        }
        return kernel;
    }

    /// <summary>The same compiled kernel with another PTX text.</summary>
    /// <exception cref="MissingMemberException">ILGPU's internals changed (a version other than 1.5.3).</exception>
    internal static PTXCompiledKernel WithPtx(PTXCompiledKernel kernel, string ptx)
    {
        var entryPoint = typeof(CompiledKernel).GetProperty("EntryPoint", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(kernel)
            ?? throw new MissingMemberException(nameof(CompiledKernel), "EntryPoint");
        var constructor = typeof(PTXCompiledKernel).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, null,
            [typeof(Context), entryPoint.GetType(), typeof(CompiledKernel.KernelInfo), typeof(string)], null)
            ?? throw new MissingMethodException(nameof(PTXCompiledKernel), ".ctor(Context, EntryPoint, KernelInfo, string)");
        return (PTXCompiledKernel)constructor.Invoke([kernel.Context, entryPoint, kernel.Info, ptx]);
    }
}
