using HashTensorBench.Benchmarks.Hashing;
using HashTensorBench.Benchmarks.Tensors;

// `gemm-pairs` and `sha256d-pairs` run the paired comparisons (Tensors/GemmPairs.cs, Hashing/Sha256dPairs.cs);
// anything else goes to BenchmarkDotNet.
return args.Length > 0 && args[0] == GemmPairs.Verb ? GemmPairs.Run(args)
    : args.Length > 0 && args[0] == Sha256dPairs.Verb ? Sha256dPairs.Run(args)
    : HashTensorBench.Benchmarks.BenchmarkConfigs.Run(typeof(Program).Assembly, args);
