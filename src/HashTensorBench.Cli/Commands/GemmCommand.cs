using System.CommandLine;
using HashTensorBench.Comparison;
using HashTensorBench.Devices;
using HashTensorBench.Tensors;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb gemm --m M --n N --k K --dtype fp32|fp16|bf16|int8 --device cpu|cuda:N|ilgpu-cpu [--json]</c>: the product on seeded
/// random inputs, checked against a double-precision reference at sampled entries, then timed over at least a second of
/// products after a warm-up (median, min, max, spread). On a GPU those include copying A and B to the device and C
/// back; the kernel alone, on the same operands already on the device, is timed the same way.
/// </summary>
internal static class GemmCommand
{
    private const int SampledEntries = 256;
    private static readonly TimeSpan s_minimum = TimeSpan.FromSeconds(1);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var m = Options.Integer("--m", "Rows of A and C.", 1, int.MaxValue);
        var n = Options.Integer("--n", "Columns of B and C.", 1, int.MaxValue);
        var k = Options.Integer("--k", "Columns of A and rows of B.", 1, int.MaxValue);
        var dataType = Options.Choice("--dtype", "Element type of A and B: fp32, fp16 and bf16 accumulate into FP32, int8 into INT32.", "fp32",
            [.. GemmElementType.All.Select(t => t.Name)]);
        var device = Options.Device("Where to multiply; gpu multiplies on each CUDA device in turn.", DeviceId.Cpu);
        var threads = Options.Threads();
        var seed = Options.Integer("--seed", "Seed of the random inputs.", int.MinValue, int.MaxValue, defaultValue: 1);
        var json = Options.Json();

        var command = new Command("gemm", "Check a matrix multiply C = A·B on random inputs against a double-precision reference, then time it for at least 1 s (median and spread).")
        {
            m, n, k, dataType, device, threads, seed, json,
        };
        command.Validators.Add(result => Options.CheckThreadsOnCpu(result, threads, device));
        command.SetAction((result, cancellationToken) =>
        {
            var shape = new GemmShape((int)result.GetValue(m), (int)result.GetValue(n), (int)result.GetValue(k));
            var type = GemmElementType.Parse(result.GetValue(dataType)!);
            // Sizes are checked in bytes before anything is allocated (A alone can pass 2 GiB).
            if (GemmMemory.AvailableHostBytes() is long hostBytes)
                GemmMemory.CheckFits(shape, type, hostBytes, "the host RAM available");
            int seedValue = (int)result.GetValue(seed);
            GemmOperands? operands = null;
            bool wrong = false;
            using var devices = ComputeDevices.Open(result.GetValue(device), notice => error.WriteLine($"htb: {notice}"));
            foreach (var opened in devices)
            {
                GemmMeasurement measured;
                RateMeasurement rate;
                RateMeasurement? kernelOnly = null;
                var gpu = opened as IlgpuComputeDevice;
                string? kernelName = null;
                using (var multiplier = opened.CreateMultiplier((int)result.GetValue(threads)))
                {
                    multiplier.CheckSupports(type);
                    if (gpu is not null)
                    {
                        // The CPU's kernel is in its name already; a GPU's is chosen per type.
                        GemmMemory.CheckFits(shape, type, gpu.FreeMemory, $"the free memory of {multiplier.Name}");
                        kernelName = gpu.GemmKernel(type);
                    }
                    // One set of operands for every device and step: the timed products and the kernel alone are the checked product.
                    operands ??= GemmOperands.Create(shape, type, seedValue, cancellationToken);
                    measured = Options.WithProgress(output, result.GetValue(json), $"gemm {shape} {type.Name} on {multiplier.Name}",
                        _ => GemmMeasurement.Run(multiplier, operands, SampledEntries, cancellationToken));
                    rate = GemmRate.MeasureProduct(multiplier, operands, s_minimum, Warmups.DefaultMinimum, cancellationToken);
                }
                if (gpu is not null)
                {
                    // On a GPU the products above include the copies over the bus; this is the kernel alone, the
                    // figure to set beside cuBLAS.
                    using var session = gpu.Prepare(operands);
                    kernelOnly = GemmRate.MeasureKernel(session, s_minimum, Warmups.DefaultMinimum, cancellationToken);
                }
                wrong |= !measured.WithinBound;
                // One line of JSON, or one block of text, per device.
                if (result.GetValue(json))
                    WriteJson(output, measured, rate, kernelOnly, kernelName);
                else
                    WriteText(output, measured, rate, kernelOnly, kernelName);
            }
            // A product outside its format's error bound is wrong, not slow: exit code 1, as verify.
            return Task.FromResult(wrong ? 1 : 0);
        });
        return command;
    }

    private static void WriteText(TextWriter output, GemmMeasurement measured, RateMeasurement rate, RateMeasurement? kernelOnly, string? kernelName)
    {
        var shape = measured.Shape;
        output.WriteLine($"device  {measured.Device}{(kernelName is null ? "" : $", kernel {kernelName}")}");
        output.WriteLine($"shape   M={shape.M} N={shape.N} K={shape.K}, {measured.Type.Description}");
        output.WriteLine($"time    {shape.FlopCount / rate.Median * 1e3:F3} ms a product (median)");
        output.WriteLine($"speed   {Describe(rate)} (2·M·N·K = {shape.FlopCount:N0} FLOP){(kernelOnly is null ? "" : ", copies included")}");
        if (kernelOnly is { } kernel)
            output.WriteLine($"kernel  {Describe(kernel)}, operands already on the device");
        foreach (string warning in rate.Warnings().Concat(kernelOnly?.Warnings().Select(w => "kernel: " + w) ?? []))
            output.WriteLine($"warning {warning}");
        output.WriteLine(measured.Type.IsExact
            ? $"error   {measured.MaxAbsoluteError:G} max absolute over {measured.SampledEntries} sampled entries (integers: must be 0)"
            : $"error   {measured.MaxAbsoluteError:E2} max absolute, {measured.MaxRelativeError:E2} max relative to Σ|a·b|, over {measured.SampledEntries} sampled entries (bound {measured.Type.ErrorBound(shape.K):E2})");
        if (!measured.WithinBound)
            output.WriteLine($"wrong   the error exceeds what {measured.Type.Name} rounding allows: this product is wrong");
    }

    private static string Describe(RateMeasurement rate) =>
        $"{rate.Median / 1e12:G4} TFLOP/s median ({rate.Min / 1e12:G4} to {rate.Max / 1e12:G4}, spread {rate.Spread:P1}, {rate.Windows} products in {rate.Elapsed.TotalSeconds:F2} s)";

    private static void WriteJson(TextWriter output, GemmMeasurement measured, RateMeasurement rate, RateMeasurement? kernelOnly, string? kernelName)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("device", measured.Device);
            if (kernelName is not null)
                writer.WriteString("gpu_kernel", kernelName);
            writer.WriteNumber("m", measured.Shape.M);
            writer.WriteNumber("n", measured.Shape.N);
            writer.WriteNumber("k", measured.Shape.K);
            writer.WriteString("dtype", measured.Type.Name);
            writer.WriteString("accumulator", measured.Type.Accumulator);
            writer.WriteNumber("flop", measured.Shape.FlopCount);
            writer.WriteNumber("seconds", measured.Shape.FlopCount / rate.Median);
            writer.WriteNumber("tflops", rate.Median / 1e12);
            ReportJson.WriteMeasurement(writer, "rate", rate, rate.Warnings());
            if (kernelOnly is { } kernel)
            {
                writer.WriteNumber("kernel_seconds", measured.Shape.FlopCount / kernel.Median);
                writer.WriteNumber("kernel_tflops", kernel.Median / 1e12);
                ReportJson.WriteMeasurement(writer, "kernel", kernel, kernel.Warnings());
            }
            writer.WriteNumber("sampled_entries", measured.SampledEntries);
            writer.WriteNumber("max_absolute_error", measured.MaxAbsoluteError);
            writer.WriteNumber("max_relative_error", measured.MaxRelativeError);
            writer.WriteNumber("error_bound", measured.Type.ErrorBound(measured.Shape.K));
            writer.WriteBoolean("within_bound", measured.WithinBound);
            writer.WriteEndObject();
        });
    }
}
