// Quickstart: an app key from the environment, one call, and what a failure tells you.
//
//   export CLARIFAI_API_KEY=...                          # your app's API key
//   export CLARIFAI_API_BASE=http://127.0.0.1:PORT       # optional: the local emulator
//   mcs -r:Clarifai.API.dll Quickstart.cs && mono Quickstart.exe
using System;
using Clarifai.API;

internal static class Quickstart
{
    private static int Main()
    {
        string apiKey = Environment.GetEnvironmentVariable("CLARIFAI_API_KEY");
        if (string.IsNullOrEmpty(apiKey))
        {
            Console.Error.WriteLine("Set CLARIFAI_API_KEY to your app's API key.");
            return 2;
        }

        // As the docs show it; the base URL comes from CLARIFAI_API_BASE when set.
        using (var client = new ClarifaiClient(apiKey))
        {
            ClarifaiResponse inputs = client.Call("ListInputs", "{\"per_page\": 1}");
            Console.WriteLine("ListInputs: " + inputs.StatusCode + " " + inputs.Description);

            // Ask before calling: what may this key do?
            Preflight preflight = client.Can("PostModelOutputs");
            Console.WriteLine(preflight);

            ClarifaiResponse prediction = client.CallAsync("PostModelOutputs",
                "{\"model_id\": \"general-image-recognition\", \"inputs\": [{\"data\": {\"image\": {\"url\": \"https://samples.clarifai.com/metro-north.jpg\"}}}]}").Result;
            Console.WriteLine("PostModelOutputs: " + prediction.StatusCode + " (req_id " + prediction.ReqId + ")");

            // Creating keys needs a Personal Access Token: the preflight says so without a request.
            Console.WriteLine(client.Can("PostKeys"));

            // Another credential for a few calls, sharing this client's connections; failures
            // are typed and carry the Clarifai status.
            using (ClarifaiClient other = client.WithApiKey("not-a-key-of-this-app"))
            {
                try
                {
                    other.Call("ListInputs");
                }
                catch (KeyNotFoundException e)
                {
                    Console.WriteLine("unknown key: " + e.StatusCode + " " + e.Description);
                }
            }
        }
        return 0;
    }
}
