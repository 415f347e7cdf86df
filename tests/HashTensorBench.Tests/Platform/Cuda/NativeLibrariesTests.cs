using System.Runtime.InteropServices;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime.Cuda;
namespace HashTensorBench.Tests.Platform.Cuda;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void Driver_names_fall_back_to_the_versioned_files()
    {
        Assert.Equal(["libcuda.so", "libcuda.so.1"], NativeLibraries.Candidates("cuda"));
        Assert.Equal(["libnvidia-ml.so", "libnvidia-ml.so.1"], NativeLibraries.Candidates("nvidia-ml.so"));
        Assert.Empty(NativeLibraries.Candidates("libc"));
    }

    [SkippableFact]
    public void Register_installs_the_resolver_on_both_ilgpu_assemblies()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The resolvers are for Linux's versioned driver names only.");
        Assert.True(NativeLibraries.Register());
        // .NET allows one resolver per assembly: a second is refused only because Register installed the first.
        Assert.Throws<InvalidOperationException>(() => NativeLibrary.SetDllImportResolver(typeof(Context).Assembly, (_, _, _) => IntPtr.Zero));
        Assert.Throws<InvalidOperationException>(() => NativeLibrary.SetDllImportResolver(typeof(NvmlDevice).Assembly, (_, _, _) => IntPtr.Zero));
    }
}
