using HashTensorBench.Comparison;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// Writes a comparison into the report folder in one format, as BenchmarkDotNet's exporters write a summary: the
/// comparison hands its result to each exporter in turn, and a new format is one more exporter in <see cref="ReportExporters.Default"/>.
/// </summary>
internal interface IReportExporter
{
    /// <summary>Writes <paramref name="report"/> into <paramref name="folder"/>; returns the files written.</summary>
    IReadOnlyList<string> Export(ComparisonReport report, string folder);
}

/// <summary>The exporters <c>htb compare</c> writes with.</summary>
internal static class ReportExporters
{
    /// <summary><c>report.json</c>, <c>report.csv</c>, <c>report.md</c> and the charts as PNG and SVG.</summary>
    public static IReadOnlyList<IReportExporter> Default { get; } = [new JsonExporter(), new CsvExporter(), new MarkdownExporter(), new ChartsExporter()];

    private sealed class JsonExporter : IReportExporter
    {
        public IReadOnlyList<string> Export(ComparisonReport report, string folder)
        {
            string path = Path.Combine(folder, "report.json");
            using (var json = File.Create(path))
                ReportJson.Write(json, report);
            return [path];
        }
    }

    private sealed class CsvExporter : IReportExporter
    {
        public IReadOnlyList<string> Export(ComparisonReport report, string folder)
        {
            using var json = new MemoryStream();
            ReportJson.Write(json, report);
            json.Position = 0;
            string path = Path.Combine(folder, "report.csv");
            using (var csv = File.CreateText(path))
                ReportCsv.Write(csv, ReportJsonReader.Read(json, path));
            return [path];
        }
    }

    private sealed class MarkdownExporter : IReportExporter
    {
        public IReadOnlyList<string> Export(ComparisonReport report, string folder)
        {
            string path = Path.Combine(folder, "report.md");
            File.WriteAllText(path, ReportMarkdown.Write(report));
            return [path];
        }
    }

    private sealed class ChartsExporter : IReportExporter
    {
        public IReadOnlyList<string> Export(ComparisonReport report, string folder) => ReportCharts.Write(report, folder);
    }
}
