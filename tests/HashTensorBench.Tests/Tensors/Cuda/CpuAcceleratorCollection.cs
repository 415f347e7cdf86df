namespace HashTensorBench.Tests.Tensors.Cuda;

/// <summary>
/// The GPU GEMM kernels on ILGPU's CPU accelerator run 256 threads a block that meet at barriers; beside other tests
/// on two cores those threads wait for one another for minutes. The classes in this collection run alone.
/// </summary>
[CollectionDefinition(nameof(CpuAcceleratorCollection), DisableParallelization = true)]
public sealed class CpuAcceleratorCollection;
