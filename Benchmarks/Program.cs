using CowGuard.Benchmarks;

return await BenchmarkCommand.RunAsync(args).ConfigureAwait(false);
