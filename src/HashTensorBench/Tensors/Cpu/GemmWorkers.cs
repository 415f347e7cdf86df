using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// The threads that run a product's parts: dedicated background threads, created once, that after each part
/// spin for a couple of milliseconds before they sleep, so that back-to-back products (a benchmark, a model's
/// layers) find them running, as OpenBLAS's and BLIS's threads do. With the thread pool, a 1024³ product on two
/// threads (about 15 ms) waited for the second thread to be woken and scheduled, and on a busy machine that
/// took as long as the product.
/// </summary>
internal static class GemmWorkers
{
    private static readonly object s_gate = new();
    private static readonly long s_spinTicks = Stopwatch.Frequency / 500;
    private static Worker[] s_workers = [];

    /// <summary>
    /// Runs <paramref name="body"/> for parts 0 … <paramref name="parts"/> − 1 at the same time, part 0 on the
    /// calling thread, and returns when all are done; the first exception of any part is rethrown. A second
    /// product that arrives while the workers are busy runs on the thread pool instead.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        if (parts == 1)
        {
            body(0);
            return;
        }
        if (!TryRunTogether(parts, body))
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
    }

    /// <summary>
    /// Like <see cref="Run"/>, but only where every part gets a thread of its own, so that the parts may wait
    /// for each other (a barrier); false, having run nothing, when the workers are busy with another product.
    /// A part that fails must release the others from any wait.
    /// </summary>
    public static bool TryRunTogether(int parts, Action<int> body)
    {
        if (!Monitor.TryEnter(s_gate))
            return false;
        try
        {
            if (s_workers.Length < parts - 1)
                s_workers = [.. s_workers, .. Enumerable.Range(0, parts - 1 - s_workers.Length).Select(_ => new Worker())];
            using var done = new CountdownEvent(parts - 1);
            for (int part = 1; part < parts; part++)
                s_workers[part - 1].Start(body, part, done);
            Exception? error = null;
            try
            {
                body(0);
            }
            catch (Exception e)
            {
                error = e;
            }
            done.Wait();
            for (int part = 1; part < parts && error is null; part++)
                error = s_workers[part - 1].TakeError();
            if (error is not null)
                ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private volatile Action<int>? _body;
        private int _part;
        private CountdownEvent? _done;
        private Exception? _error;

        public Worker() => new Thread(Loop) { IsBackground = true, Name = "htb gemm worker" }.Start();

        public void Start(Action<int> body, int part, CountdownEvent done)
        {
            (_part, _done, _error) = (part, done, null);
            _body = body;
            _wake.Release();
        }

        public Exception? TakeError() => Interlocked.Exchange(ref _error, null);

        private void Loop()
        {
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
                while (_body is null && Stopwatch.GetTimestamp() < deadline)
                    Thread.SpinWait(64);
                _wake.Wait();
                Action<int> body = _body!;
                _body = null;
                try
                {
                    body(_part);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                _done!.Signal();
            }
        }
    }
}
