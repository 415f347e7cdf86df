namespace HashTensorBench.Cli.Commands;

/// <summary>A device object a command created and must release: disposed when it is <see cref="IDisposable"/> (GPUs), left alone when not (the CPU).</summary>
internal sealed class Owned<T>(T value) : IDisposable where T : class
{
    public T Value { get; } = value;

    public void Dispose() => (Value as IDisposable)?.Dispose();
}
