using System.Globalization;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Tests.Comparison;

namespace HashTensorBench.Tests.Cli;

public sealed class ReportCsvTests
{
    // RFC 4180 fields of one line (the report's notes hold no line breaks).
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                field.Append(line[++i]);
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    [Fact]
    public void Every_figure_of_the_json_is_a_row_with_its_unit_and_source()
    {
        var report = ReportJsonTests.Sample();
        using var json = new MemoryStream();
        ReportJson.Write(json, report);
        json.Position = 0;
        var read = ReportJsonReader.Read(json, "report.json");
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        ReportCsv.Write(csv, read);
        string[] lines = csv.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ReportCsv.Header, lines[0]);
        var rows = lines.Skip(1).Select(Fields).ToArray();
        Assert.All(rows, r => Assert.Equal(8, r.Count));
        var gpu = report.Devices[0];
        var watts = Assert.Single(rows, r => r[0] == "cuda:0" && r[2] == "sha256d" && r[3] == "watts");
        Assert.Equal([gpu.Name, "690", "W", "measured"], watts.Skip(1).Take(1).Concat(watts.Skip(4).Take(3)));
        // The failed GEMM: one row with its reason, quotes and comma intact.
        var failed = Assert.Single(rows, r => r[2] == "gemm fp32 8192x8192x8192");
        Assert.Equal(["status", "", "", "unavailable", "cuda:0: out of memory, \"8 GiB\" asked"], failed.Skip(3));
        // The CPU's electricity is priced by the power the user gave.
        Assert.Equal("given", Assert.Single(rows, r => r[0] == "cpu" && r[2] == "hashing" && r[3] == "watts")[6]);
        Assert.Equal(gpu.Decision!.MarginUsdPerDay, double.Parse(Assert.Single(rows, r => r[0] == "cuda:0" && r[3] == "margin")[4], CultureInfo.InvariantCulture));
        // Six figures per measured workload, one per failed one, the device's own, two uses of five and the decision's.
        int expected = read.Devices.Sum(d => d.Workloads.Sum(w => w.IsMeasured ? 6 : 1) + (d.GpuRental is null ? 1 : 2)
            + (d.Hashing is null ? 0 : 5) + (d.Ai is null ? 0 : 5) + (d.Decision is null ? 0 : d.Decision.BreakEvenRental is null ? 2 : 3));
        Assert.Equal(expected, rows.Length);
    }
}
