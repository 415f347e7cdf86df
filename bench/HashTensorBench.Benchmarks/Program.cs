using HashTensorBench.Benchmarks.Tensors;

// `gemm-pairs` runs the paired GEMM comparison (Tensors/GemmPairs.cs); anything else goes to BenchmarkDotNet.
return args.Length > 0 && args[0] == GemmPairs.Verb
    ? GemmPairs.Run(args)
    : HashTensorBench.Benchmarks.BenchmarkConfigs.Run(typeof(Program).Assembly, args);
