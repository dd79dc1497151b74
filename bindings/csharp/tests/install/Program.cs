// The install test's program (run-tests): the documented initializer, compiled against the
// Clarifai.API.dll of the unpacked package and run with no library variable set. Prints which
// libclarifai it loaded; exit 3 with the loader's message when none was found.
using System;
using Clarifai.API;

internal static class Program
{
    private static int Main()
    {
        try
        {
            // As the docs show it; the base URL comes from CLARIFAI_API_BASE.
            using (var client = new ClarifaiClient(Environment.GetEnvironmentVariable("CLARIFAI_API_KEY")))
            {
                ClarifaiResponse inputs = client.Call("ListInputs", "{\"per_page\": 1}");
                Console.WriteLine("ListInputs: " + inputs.StatusCode);
                Console.WriteLine("library: " + ClarifaiClient.NativeLibraryPath);
                return inputs.StatusCode == 10000 ? 0 : 1;
            }
        }
        catch (DllNotFoundException e)
        {
            Console.WriteLine(e.Message);
            return 3;
        }
    }
}
