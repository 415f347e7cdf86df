using HashTensorBench.Platform.Cuda;
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

    [Fact]
    public void Register_is_idempotent() => Assert.Equal(NativeLibraries.Register(), NativeLibraries.Register());
}
