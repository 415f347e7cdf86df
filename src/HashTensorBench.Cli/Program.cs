using System.Diagnostics;
using System.Runtime.InteropServices;
using HashTensorBench.Cli;

// ILGPU writes the driver's JIT log (why a kernel did not load) to Trace alone.
Trace.Listeners.Add(new ErrorTraceListener(Console.Error));

// Ctrl+C and SIGTERM cancel the run, so that long commands (compare) stop cleanly and still write what
// they measured; a second Ctrl+C ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await HtbApp.RunAsync(args, Console.Out, Console.Error, stop.Token);
