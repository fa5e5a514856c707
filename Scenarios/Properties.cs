using System.Runtime.CompilerServices;

// The scenario language is an implementation detail of the command-line tool and the tests that run the catalogue;
// only those assemblies see its types.
[assembly: InternalsVisibleTo("cowguard")]
[assembly: InternalsVisibleTo("CowGuard.VmModel.Tests")]
