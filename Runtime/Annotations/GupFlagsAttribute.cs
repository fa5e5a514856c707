namespace CowGuard.VmModel;

/// <summary>
/// Marks the parameter that carries the GUP flags of a page-reference call. On a method that also carries
/// <see cref="PageReferenceApiAttribute"/> it tells the analyzer where to read the flags. On any other method it
/// declares that the method forwards its caller's flags to a page-reference API: the method then is a page-reference
/// API itself, and its callers are checked instead of the forwarding call inside it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class GupFlagsAttribute : Attribute
{
}
