using System.CommandLine;
using HashTensorBench.Gpu;
using HashTensorBench.Tensors;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb gemm --m M --n N --k K --dtype fp32|fp16 --device cpu|cuda:N|ilgpu-cpu [--json]</c>: one timed product on
/// seeded random inputs, its TFLOP/s and its error against a double-precision reference at sampled entries. On a
/// GPU the time includes copying A and B to the device and C back; the kernel alone, on the same operands already
/// on the device, is then timed over at least a second of launches after a warm-up (median, min, max, spread).
/// </summary>
internal static class GemmCommand
{
    private const int SampledEntries = 256;
    private static readonly TimeSpan s_kernelTime = TimeSpan.FromSeconds(1), s_kernelWarmup = TimeSpan.FromSeconds(0.25);

    public static Command Create(TextWriter output)
    {
        var m = Options.Integer("--m", "Rows of A and C.", 1, int.MaxValue);
        var n = Options.Integer("--n", "Columns of B and C.", 1, int.MaxValue);
        var k = Options.Integer("--k", "Columns of A and rows of B.", 1, int.MaxValue);
        var dataType = Options.Choice("--dtype", "Element type of A and B; C and the accumulation are FP32.", "fp32", "fp32", "fp16");
        var device = new Option<string>("--device")
        {
            Description = $"Where to multiply: {MatrixMultipliers.DeviceNames}.",
            DefaultValueFactory = _ => "cpu",
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (!MatrixMultipliers.IsDeviceName(text))
                    result.AddError($"--device must be cpu, cuda:N or ilgpu-cpu; got \"{text}\".");
                return text;
            },
        };
        var threads = Options.Threads();
        var seed = Options.Integer("--seed", "Seed of the random inputs.", int.MinValue, int.MaxValue, defaultValue: 1);
        var json = Options.Json();

        var command = new Command("gemm", "Time one matrix multiply C = A·B on random inputs (after one warm-up) and check it against a double-precision reference.")
        {
            m, n, k, dataType, device, threads, seed, json,
        };
        command.Validators.Add(result => Options.CheckThreadsOnCpu(result, threads, device));
        command.SetAction((result, cancellationToken) =>
        {
            var shape = new GemmShape((int)result.GetValue(m), (int)result.GetValue(n), (int)result.GetValue(k));
            var type = result.GetValue(dataType) == "fp16" ? GemmDataType.Fp16 : GemmDataType.Fp32;
            // Sizes are checked in bytes before anything is allocated (A alone can pass 2 GiB).
            if (GemmMemory.AvailableHostBytes() is long hostBytes)
                GemmMemory.CheckFits(shape, type, hostBytes, "the host RAM available");
            GemmMeasurement measured;
            RateMeasurement? kernelOnly = null;
            using (var multiplier = new Owned<IMatrixMultiplier>(MatrixMultipliers.Create(result.GetValue(device)!, (int)result.GetValue(threads))))
            {
                if (multiplier.Value is IlgpuMatrixMultiplier accelerator)
                    GemmMemory.CheckFits(shape, type, accelerator.FreeMemory, $"the free memory of {accelerator.Name}", hostBytes: false);
                measured = Options.WithProgress(output, result.GetValue(json), $"gemm {shape} {result.GetValue(dataType)} on {multiplier.Value.Name}",
                    _ => GemmMeasurement.Run(multiplier.Value, shape, type, (int)result.GetValue(seed), SampledEntries, cancellationToken));
                if (multiplier.Value is IlgpuMatrixMultiplier gpu)
                {
                    // On a GPU the product above includes the copies over the bus; this is the kernel alone, the
                    // figure to set beside cuBLAS.
                    using var session = GemmRate.Prepare(gpu, shape, type, (int)result.GetValue(seed));
                    kernelOnly = GemmRate.MeasureKernel(session, s_kernelTime, s_kernelWarmup, cancellationToken);
                }
            }
            if (result.GetValue(json))
                WriteJson(output, measured, kernelOnly);
            else
                WriteText(output, measured, kernelOnly);
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Name(GemmDataType type) => type.ToString().ToLowerInvariant();

    private static void WriteText(TextWriter output, GemmMeasurement measured, RateMeasurement? kernelOnly)
    {
        var shape = measured.Shape;
        output.WriteLine($"device  {measured.Device}");
        output.WriteLine($"shape   M={shape.M} N={shape.N} K={shape.K}, {Name(measured.DataType)} inputs, fp32 accumulation and output");
        output.WriteLine($"time    {measured.Elapsed.TotalMilliseconds:F3} ms for one product after one warm-up");
        output.WriteLine($"speed   {measured.FlopsPerSecond / 1e12:G4} TFLOP/s (2·M·N·K = {shape.FlopCount:N0} FLOP){(kernelOnly is null ? "" : ", copies included")}");
        if (kernelOnly is { } kernel)
        {
            output.WriteLine($"kernel  {kernel.Median / 1e12:G4} TFLOP/s median with the operands already on the device " +
                $"({kernel.Min / 1e12:G4} to {kernel.Max / 1e12:G4}, spread {kernel.Spread:P1}, {kernel.Windows} launches in {kernel.Elapsed.TotalSeconds:F2} s)");
        }
        output.WriteLine($"error   {measured.MaxAbsoluteError:E2} max absolute, {measured.MaxRelativeError:E2} max relative to Σ|a·b|, over {measured.SampledEntries} sampled entries");
    }

    private static void WriteJson(TextWriter output, GemmMeasurement measured, RateMeasurement? kernelOnly)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("device", measured.Device);
            writer.WriteNumber("m", measured.Shape.M);
            writer.WriteNumber("n", measured.Shape.N);
            writer.WriteNumber("k", measured.Shape.K);
            writer.WriteString("dtype", Name(measured.DataType));
            writer.WriteNumber("flop", measured.Shape.FlopCount);
            writer.WriteNumber("seconds", measured.Elapsed.TotalSeconds);
            writer.WriteNumber("tflops", measured.FlopsPerSecond / 1e12);
            if (kernelOnly is { } kernel)
            {
                writer.WriteNumber("kernelSeconds", measured.Shape.FlopCount / kernel.Median);
                writer.WriteNumber("kernelTflops", kernel.Median / 1e12);
                Options.WriteMeasurement(writer, "kernel", kernel);
            }
            writer.WriteNumber("sampledEntries", measured.SampledEntries);
            writer.WriteNumber("maxAbsoluteError", measured.MaxAbsoluteError);
            writer.WriteNumber("maxRelativeError", measured.MaxRelativeError);
            writer.WriteEndObject();
        });
    }
}
