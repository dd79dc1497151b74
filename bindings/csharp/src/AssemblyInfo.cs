using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Clarifai.API")]
[assembly: AssemblyDescription("Clarifai API credentials and authorized requests, over libclarifai")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyInformationalVersion("0.1.0")]

// The tests read the leak counters (NativeHandle.Live, AsyncCall.Pending) and the loader.
[assembly: InternalsVisibleTo("Clarifai.API.Tests")]
