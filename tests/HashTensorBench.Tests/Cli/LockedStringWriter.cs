namespace HashTensorBench.Tests.Cli;

/// <summary>A <see cref="StringWriter"/> a test can read while a running command still writes to it from other threads.</summary>
public sealed class LockedStringWriter : StringWriter
{
    private readonly Lock _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
            base.Write(value);
    }

    public override void Write(string? value)
    {
        lock (_gate)
            base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
            base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
            base.Write(buffer);
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
            base.WriteLine(buffer);
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
            base.WriteLine(value);
    }

    public override string ToString()
    {
        lock (_gate)
            return base.ToString();
    }
}
