using HashTensorBench.Comparison;
using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Comparison;

/// <summary>The GPU side of a comparison: what <see cref="DevicePlan.For"/> plans, and how <see cref="ComparisonRunner"/> runs and records it.</summary>
public class ComparisonRunnerTests
{
    private static readonly GpuDevice s_h100 = new(7, "NVIDIA H100 80GB HBM3", 132, 1980, 80L << 30, "570.86", "Hopper", "sm_90", "0000:99:00.0", "sm_90");

    private static IProgress<double> NoProgress(DevicePlan plan, Workload workload) => new Progress<double>();

    [Fact]
    public void A_gpu_plan_hashes_then_multiplies_in_every_type_with_a_kernel_at_the_quick_or_full_size_and_carries_the_rent()
    {
        foreach (var (quick, n) in new[] { (true, 2048), (false, 8192) })
        {
            var plan = DevicePlan.For(new CudaComputeDevice(s_h100), quick, GemmElementType.Bf16);
            Assert.Equal(DeviceId.Cuda(7), plan.Id);
            Assert.Equal(s_h100.Name, plan.Name);
            Assert.Equal(new[] { "sha256d" }.Concat(GpuGemmKernels.ElementTypes.Select(t => $"gemm {t.Name} {n}x{n}x{n}")), plan.Workloads.Select(w => w.Name));
            Assert.Equal(new[] { WorkUnits.Hash }.Concat(GpuGemmKernels.ElementTypes.Select(WorkUnits.Of)), plan.Workloads.Select(w => w.Unit));
            Assert.Equal(new GemmElementType?[] { null }.Concat(GpuGemmKernels.ElementTypes), plan.Workloads.Select(w => w.ElementType));
            // The H100's market rent prices its AI time; the CPU plan has none.
            Assert.NotNull(plan.Rental);
            Assert.Equal(MarketReferences.GpuRental(s_h100.Name), plan.Rental);
        }
        Assert.Contains(GemmElementType.Fp32, GpuGemmKernels.ElementTypes);
        var cpu = DevicePlan.For(ComputeDevice.Open(DeviceId.Cpu), quick: true, GemmElementType.Fp16);
        Assert.Null(cpu.Rental);
        Assert.Equal(["sha256d", "gemm fp32 256x256x256", "gemm bf16 256x256x256", "gemm fp16 256x256x256"], cpu.Workloads.Select(w => w.Name));
    }

    [SkippableFact]
    public void A_gpu_that_is_not_there_is_recorded_per_workload_and_the_next_device_still_runs()
    {
        // cuda:7 with a bus id no machine of these tests has: every workload fails to open it.
        Skip.If(CudaDiscovery.Current.Devices.Any(d => d.Index == 7), "This machine has a cuda:7.");
        var cpu = new DevicePlan(DeviceId.Cpu, "cpu", EnergyMeters.ForCpu,
            [new("sha256d", WorkUnits.Hash, null, (meter, time, progress, ct) => HashRate.Measure(new HashTensorBench.Hashing.Cpu.CpuNonceSearcher(threads: 1), meter, time, progress, ct))],
            null);
        var (devices, cancelled) = ComparisonRunner.Run([DevicePlan.For(new CudaComputeDevice(s_h100), quick: true, GemmElementType.Bf16), cpu], TimeSpan.FromMilliseconds(100), NoProgress, CancellationToken.None);

        Assert.False(cancelled);
        var (gpuPlan, gpuResults) = devices[0];
        Assert.Equal(DeviceId.Cuda(7), gpuPlan.Id);
        Assert.Equal(gpuPlan.Workloads.Select(w => w.Name), gpuResults.Select(r => r.Workload));
        Assert.All(gpuResults, r =>
        {
            Assert.Null(r.Run);
            Assert.Contains("cuda:7", r.Error, StringComparison.Ordinal);
        });
        var hashing = Assert.Single(devices[1].Results);
        Assert.Null(hashing.Error);
        Assert.True(hashing.Run!.Rate > 0);
    }

    [Fact]
    public void Gpu_workloads_run_on_ilgpus_cpu_accelerator_and_report_whole_products_and_hashes()
    {
        // The plan of a device of the GPU kernels (its ILGPU searcher, a device GEMM session), on the accelerator every
        // machine has: the same code as a cuda:N plan, which only a GPU machine can run.
        var shape = new GemmShape(32, 32, 32);
        using var device = ComputeDevice.Open(DeviceId.IlgpuCpu);
        var plan = DevicePlan.Of(device, shape, [GemmElementType.Fp32]);
        var (devices, cancelled) = ComparisonRunner.Run([plan], TimeSpan.FromMilliseconds(100), NoProgress, CancellationToken.None);

        Assert.False(cancelled);
        var results = devices[0].Results;
        Assert.Equal(new[] { "sha256d", "gemm fp32 32x32x32" }, results.Select(r => r.Workload));
        Assert.All(results, r =>
        {
            Assert.Null(r.Error);
            Assert.Equal("ilgpu-cpu", r.Run!.Device);
            Assert.True(r.Run.Rate > 0 && r.Run.Work > 0, $"{r.Workload}: {r.Run.Work} in {r.Run.Elapsed}");
            Assert.False(r.Run.StoppedEarly);
        });
        Assert.Equal("H", results[0].Run!.Unit);
        Assert.Equal(0, results[1].Run!.Work % shape.FlopCount);
        Assert.Equal(GemmElementType.Fp32, results[1].ElementType);
    }
}
