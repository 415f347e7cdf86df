using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace HashTensorBench;

/// <summary>Throws out of line so that the callers' hot paths stay small.</summary>
[StackTraceHidden]
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) => throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw new FormatException(message);

    [DoesNotReturn]
    public static void ThrowOverflow(string message) => throw new OverflowException(message);
}
