// A small console program run by run-tests under valgrind and with CLARIFAI_NATIVE_LIB: every
// native path once (create, call, async, batch, failure, dispose, finalize). Prints no secret.
using System;
using System.Threading.Tasks;
using Clarifai.API;

internal static class Smoke
{
    private static int Main()
    {
        string url = Environment.GetEnvironmentVariable("CLARIFAI_SMOKE_URL");
        string key = Environment.GetEnvironmentVariable("CLARIFAI_SMOKE_KEY");
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(key))
        {
            Console.Error.WriteLine("set CLARIFAI_SMOKE_URL and CLARIFAI_SMOKE_KEY");
            return 2;
        }
        var options = new ClarifaiClientOptions { BaseUrl = url, MaxRetries = 0 };
        using (var client = new ClarifaiClient(key, options))
        {
            using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                Check(r.StatusCode == 10000, "ListInputs status");

            Task<ClarifaiResponse>[] tasks = new Task<ClarifaiResponse>[8];
            for (int i = 0; i < tasks.Length; i++)
                tasks[i] = client.CallAsync("ListInputs", "{\"per_page\":1}");
            Task.WaitAll(tasks);
            foreach (var t in tasks)
                t.Result.Dispose();

            var batch = client.CallMany(new[] { new ClarifaiCall("ListInputs"), new ClarifaiCall("GetInputCount") });
            Check(batch.Count == 2 && batch[0].Succeeded && batch[1].Succeeded, "CallMany");

            Check(client.MyScopes().Scopes.Count > 0, "MyScopes");
            Check(client.GrpcMetadata().StartsWith("Key "), "GrpcMetadata");
            Check(!client.Can("PostKeys").Allowed, "an app key may not create keys");
            using (ClarifaiClient other = client.WithApiKey("not-a-key-of-this-app"))
            {
                try
                {
                    other.Call("ListInputs");
                    Check(false, "an unknown key must fail");
                }
                catch (KeyNotFoundException)
                {
                }
            }
        }
        // An undisposed client and response: the finalizers free them.
        var leaked = new ClarifaiClient(key, options);
        leaked.Call("ListInputs");
        leaked = null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Console.WriteLine("smoke ok: libclarifai " + ClarifaiClient.Version);
        return 0;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
            throw new Exception("smoke check failed: " + what);
    }
}
