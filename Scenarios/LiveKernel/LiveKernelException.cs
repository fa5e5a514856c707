namespace CowGuard.Scenarios.LiveKernel;

/// <summary>The live-kernel backend itself failed (compiler error, program crash, timeout): not a verdict.</summary>
internal sealed class LiveKernelException(string message) : Exception(message);
