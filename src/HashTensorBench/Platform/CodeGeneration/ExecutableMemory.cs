using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace HashTensorBench.Platform.CodeGeneration;

/// <summary>
/// Pages for machine code generated at run time: mapped read-write while the code is copied in, then
/// read-execute, so that no page is ever writable and executable at once. The pages are kept for the life of
/// the process (a kernel is generated once and called until exit).
/// </summary>
internal static unsafe partial class ExecutableMemory
{
    // Linux x86-64 values of <sys/mman.h>.
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 0x02, MapAnonymous = 0x20;

    // Windows values of <winnt.h>.
    private const uint MemCommit = 0x1000, MemReserve = 0x2000, PageReadWrite = 0x04, PageExecuteRead = 0x20;

    /// <summary>Maps <paramref name="code"/> read-execute and returns its address, or says why it cannot.</summary>
    public static bool TryMap(ReadOnlySpan<byte> code, out nint address, [NotNullWhen(false)] out string? reason)
    {
        address = 0;
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            reason = $"the generated kernels are x86-64 code and this process is {RuntimeInformation.ProcessArchitecture}";
            return false;
        }
        nuint size = (nuint)((code.Length + Environment.SystemPageSize - 1) / Environment.SystemPageSize * Environment.SystemPageSize);
        if (OperatingSystem.IsLinux())
            return TryMapLinux(code, size, out address, out reason);
        if (OperatingSystem.IsWindows())
            return TryMapWindows(code, size, out address, out reason);
        reason = $"generated code is mapped on Linux and Windows only, not on {RuntimeInformation.OSDescription}";
        return false;
    }

    private static bool TryMapLinux(ReadOnlySpan<byte> code, nuint size, out nint address, [NotNullWhen(false)] out string? reason)
    {
        address = 0;
        nint pages = Mmap(0, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (pages == -1)
        {
            reason = $"mmap of {size} read-write bytes failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return false;
        }
        code.CopyTo(new Span<byte>((void*)pages, code.Length));
        if (Mprotect(pages, size, ProtRead | ProtExec) != 0)
        {
            // SELinux's execmem, or a seccomp or grsecurity policy, forbids making anonymous memory executable.
            reason = $"mprotect to read-execute failed ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}): " +
                "a policy such as SELinux's execmem forbids executable memory";
            _ = Munmap(pages, size);
            return false;
        }
        address = pages;
        reason = null;
        return true;
    }

    private static bool TryMapWindows(ReadOnlySpan<byte> code, nuint size, out nint address, [NotNullWhen(false)] out string? reason)
    {
        address = 0;
        nint pages = VirtualAlloc(0, size, MemCommit | MemReserve, PageReadWrite);
        if (pages == 0)
        {
            reason = $"VirtualAlloc of {size} read-write bytes failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return false;
        }
        code.CopyTo(new Span<byte>((void*)pages, code.Length));
        if (!VirtualProtect(pages, size, PageExecuteRead, out _))
        {
            // Arbitrary Code Guard (a process mitigation policy) forbids executable memory.
            reason = $"VirtualProtect to read-execute failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return false;
        }
        // Windows asks for this after writing code; -1 is the current process's pseudo-handle.
        _ = FlushInstructionCache(-1, pages, size);
        address = pages;
        reason = null;
        return true;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial nint VirtualAlloc(nint address, nuint size, uint allocationType, uint protection);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool VirtualProtect(nint address, nuint size, uint newProtection, out uint oldProtection);

    [LibraryImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool FlushInstructionCache(nint process, nint address, nuint size);
}
