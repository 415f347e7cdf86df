using HashTensorBench.Cli;

namespace HashTensorBench.Tests.Cli;

public class ErrorTraceListenerTests
{
    [Fact]
    public void Trace_output_reaches_standard_error_a_prefixed_line_at_a_time()
    {
        using var error = new StringWriter();
        using var listener = new ErrorTraceListener(error);
        // ILGPU writes the driver's JIT log in pieces and with embedded newlines.
        listener.Write("ptxas error   : ");
        listener.WriteLine("Entry function uses too much shared data\nptxas fatal   : Ptx assembly aborted");
        Assert.Equal(
            "htb: trace: ptxas error   : Entry function uses too much shared data\nhtb: trace: ptxas fatal   : Ptx assembly aborted\n",
            error.ToString().ReplaceLineEndings("\n"));
    }
}
