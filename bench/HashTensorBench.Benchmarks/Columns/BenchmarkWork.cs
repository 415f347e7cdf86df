using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Running;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>A benchmark case's work per operation, resolved from its <see cref="WorkUnitAttribute"/>.</summary>
/// <param name="Unit">The unit's symbol; <see cref="DefaultUnit"/> when the benchmark declares none.</param>
/// <param name="PerOperation">Units of work in one BenchmarkDotNet operation.</param>
public sealed record BenchmarkWork(string Unit, double PerOperation)
{
    /// <summary>The unit of a benchmark without <see cref="WorkUnitAttribute"/>: one operation.</summary>
    public const string DefaultUnit = "op";

    /// <summary>Resolves the work of <paramref name="benchmarkCase"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter the attribute names is missing or not a number.</exception>
    public static BenchmarkWork For(BenchmarkCase benchmarkCase)
    {
        var descriptor = benchmarkCase.Descriptor;
        var attribute = descriptor.WorkloadMethod.GetCustomAttribute<WorkUnitAttribute>()
            ?? descriptor.Type.GetCustomAttribute<WorkUnitAttribute>(inherit: true);
        if (attribute is null)
            return new BenchmarkWork(DefaultUnit, 1);
        double perOperation = attribute.PerOperation;
        foreach (var name in attribute.TimesParameters)
        {
            var parameter = benchmarkCase.Parameters.Items.FirstOrDefault(item => item.Name == name)
                ?? throw new InvalidOperationException($"[WorkUnit] names parameter '{name}', which {descriptor.WorkloadMethodDisplayInfo} does not have.");
            if (parameter.Value is not IConvertible value)
                throw new InvalidOperationException($"[WorkUnit] parameter '{name}' of {descriptor.WorkloadMethodDisplayInfo} is not a number.");
            perOperation *= value.ToDouble(CultureInfo.InvariantCulture);
        }
        return new BenchmarkWork(attribute.Unit, perOperation);
    }
}
