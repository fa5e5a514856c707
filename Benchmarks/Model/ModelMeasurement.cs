namespace CowGuard.Benchmarks.Model;

/// <summary>One model figure from BenchmarkDotNet: the median time and allocation of one invocation on N pages.</summary>
internal sealed record ModelMeasurement(string Operation, int Pages, double MedianNanoseconds, double? AllocatedBytes);
