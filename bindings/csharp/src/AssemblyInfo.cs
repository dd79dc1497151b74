using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Clarifai.API")]
[assembly: AssemblyDescription("Clarifai API credentials and authorized requests, over libclarifai")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyInformationalVersion("0.1.0")]

// The tests reuse the binding's small JSON reader to read the conformance vectors.
[assembly: InternalsVisibleTo("Clarifai.API.Tests")]
