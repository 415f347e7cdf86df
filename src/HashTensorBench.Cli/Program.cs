using HashTensorBench.Cli;

return await HtbApp.RunAsync(args, Console.Out, Console.Error);
