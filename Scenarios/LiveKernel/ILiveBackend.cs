using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A real kernel that runs translated scenarios: this machine's (<see cref="LiveKernelBackend"/>) or a guest booted
/// under QEMU (<see cref="Guest.GuestKernelBackend"/>). Both start from <see cref="LivePrograms"/> with their own
/// <see cref="Facts"/> and read results with <see cref="LiveOutput"/>; they differ only in where programs run.
/// </summary>
internal interface ILiveBackend
{
    /// <summary>Which kernel, for titles: "this machine's kernel", "the guest kernel under QEMU".</summary>
    string Where { get; }

    /// <summary>What that kernel offers; <see cref="KernelFacts.Unusable"/> says why nothing can run there.</summary>
    KernelFacts Facts { get; }

    /// <summary>One result per instance, in order: ran, skipped with the reason, or a backend error.</summary>
    IReadOnlyList<LiveKernelResult> RunAll(IReadOnlyList<ScenarioInstance> instances);

    /// <summary>The same backend, telling <paramref name="listener"/> what it waits for or does at length.</summary>
    ILiveBackend WithNotices(Action<string> listener);
}
