using System.Diagnostics;

namespace HashTensorBench.Cli;

/// <summary>
/// Copies <see cref="Trace"/> output to standard error, one prefixed line at a time. ILGPU reports the CUDA
/// driver's JIT error log only through <see cref="Trace"/>, so without this a kernel the driver rejects would
/// fail with its reason lost.
/// </summary>
public sealed class ErrorTraceListener(TextWriter error) : TraceListener
{
    private string _pending = "";

    /// <inheritdoc/>
    public override void Write(string? message) => _pending += message;

    /// <inheritdoc/>
    public override void WriteLine(string? message)
    {
        string text = _pending + message;
        _pending = "";
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Length > 0)
                error.WriteLine($"htb: trace: {line}");
        }
    }
}
