namespace HashTensorBench.Hashing.Cpu;

/// <summary>The CPU implementations of the sha256d nonce search, by instruction set.</summary>
public enum CpuSha256dKernel
{
    /// <summary>One nonce at a time in general-purpose registers; runs everywhere.</summary>
    Scalar,

    /// <summary>Eight nonces per AVX2 register (<c>Vector256</c>).</summary>
    Avx2,

    /// <summary>Sixteen nonces per AVX-512 register (<c>Vector512</c>, <c>vprord</c>, <c>vpternlogd</c>).</summary>
    Avx512,

    /// <summary>
    /// The SHA extensions (<c>sha256rnds2</c>), in machine code generated at run time: .NET has no intrinsics for
    /// them. Needs a processor with SHA-NI and memory the process may make executable.
    /// </summary>
    ShaNi,

    /// <summary>
    /// Sixteen nonces per AVX-512 register in machine code generated at run time, the message schedule held in
    /// registers and every nonce-free word and partial sum folded in. Needs AVX-512 and memory the process may make executable.
    /// </summary>
    Avx512Gen,

    /// <summary>
    /// <see cref="Avx512Gen"/>'s sixteen nonces and four more with the SHA extensions in one stream of generated
    /// machine code, so that the SHA unit works while the vector units do. Needs AVX-512, SHA-NI and memory the process
    /// may make executable.
    /// </summary>
    Avx512Sha,
}
