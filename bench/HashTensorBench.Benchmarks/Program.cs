return HashTensorBench.Benchmarks.BenchmarkConfigs.Run(typeof(Program).Assembly, args);
