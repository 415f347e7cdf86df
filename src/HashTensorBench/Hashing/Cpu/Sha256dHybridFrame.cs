namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The memory the generated hybrid kernel works in, one per search thread: the AVX-512 kernel's frame
/// (<see cref="Sha256dAvx512Frame"/>, its fields at their own offsets: inputs, constants, masks), then the SHA-NI
/// kernel's (<see cref="Sha256dShaNiFrame"/>, its constants and its nonces' message schedules), then the SHA-NI
/// nonces' last words and the registers Windows has the callee keep. Byte offsets; the frame is 64-byte aligned.
/// </summary>
internal static class Sha256dHybridFrame
{
    /// <summary>Where the SHA-NI kernel's frame starts (16-byte aligned, as its legacy SSE operands need).</summary>
    public const int ShaNi = (Sha256dAvx512Frame.Size + 63) & ~63;

    /// <summary>Out: per SHA-NI nonce of the last group, its hash's last state word (the top word, byte-reversed).</summary>
    public const int ShaNiLastWords = ShaNi + Sha256dShaNiFrame.Candidates;

    /// <summary>Where the code keeps xmm6–xmm15 on Windows.</summary>
    public const int SavedXmm = ShaNiLastWords + 32;

    /// <summary>The frame's size in bytes.</summary>
    public const int Size = SavedXmm + 10 * 16;

    /// <summary>Writes the job's constants into <paramref name="frame"/> (as 32-bit words), with <paramref name="threshold"/>.</summary>
    public static void Fill(Span<uint> frame, Sha256dJob job, uint threshold)
    {
        Sha256dAvx512Frame.Fill(frame, job, threshold);
        Sha256dShaNiFrame.Fill(frame[(ShaNi / 4)..], job, threshold);
    }
}
