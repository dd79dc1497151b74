// A small console program run by run-tests, and under valgrind: every native path once
// (runtime settings, create, call, async, batch, keys, scopes, failures, cancellation, dispose,
// finalize). Prints no secret.
using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Clarifai.API;

internal static class Smoke
{
    private static string Need(string name)
    {
        string v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v))
            throw new InvalidOperationException("set " + name);
        return v;
    }

    private static int Main()
    {
        string url = Need("CLARIFAI_SMOKE_URL"), key = Need("CLARIFAI_SMOKE_KEY");
        string pat = Need("CLARIFAI_SMOKE_PAT"), user = Need("CLARIFAI_SMOKE_USER"), app = Need("CLARIFAI_SMOKE_APP");

        // Before the first call the runtime's size may still be chosen; after it, only kept.
        ClarifaiClient.SetRuntimeWorkerThreads(2);
        var options = new ClarifaiClientOptions { BaseUrl = url, MaxRetries = 0 };
        using (var client = new ClarifaiClient(key, options))
        {
            using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                Check(r.StatusCode == 10000, "ListInputs status");
            ClarifaiClient.SetRuntimeWorkerThreads(2);
            try
            {
                ClarifaiClient.SetRuntimeWorkerThreads(3);
                Check(false, "the runtime runs: another thread count is refused");
            }
            catch (ClarifaiStateException)
            {
            }

            Task<ClarifaiResponse>[] tasks = new Task<ClarifaiResponse>[8];
            for (int i = 0; i < tasks.Length; i++)
                tasks[i] = client.CallAsync("ListInputs", "{\"per_page\":1}");
            Task.WaitAll(tasks);
            foreach (var t in tasks)
                t.Result.Dispose();

            var batch = client.CallMany(new[] { new ClarifaiCall("ListInputs"), new ClarifaiCall("GetInputCount") });
            Check(batch.Count == 2 && batch[0].Succeeded && batch[1].Succeeded, "CallMany");
            var asyncBatch = client.CallManyAsync(new[] { new ClarifaiCall("ListInputs"), new ClarifaiCall("NoSuchEndpoint") }).Result;
            Check(asyncBatch[0].Succeeded && asyncBatch[1].Error is UnknownEndpointException, "CallManyAsync");

            using (ClarifaiScopes scopes = client.MyScopes())
                Check(scopes.Scopes.Count > 0 && scopes.Has("Inputs_Get"), "MyScopes");
            Check(client.GrpcMetadata().StartsWith("Key "), "GrpcMetadata");
            Check(!client.Can("PostKeys").Allowed, "an app key may not create keys");
            using (ClarifaiClient other = client.WithApiKey("not-a-key-of-this-app"))
            {
                try
                {
                    other.Call("ListInputs");
                    Check(false, "an unknown key must fail");
                }
                catch (KeyNotFoundException e)
                {
                    Check(e.GetHeader("X-Clarifai-Emulator-Route") == "GET /v2/inputs", "an error's header");
                }
            }

            // Cancellation: calls at the server (the 3 s route), queued, and already answered.
            using (var limited = client.WithApiKey(key))
            {
                var sources = Enumerable.Range(0, 64).Select(_ => new CancellationTokenSource()).ToArray();
                var pending = sources.Select((s, i) => limited.CallAsync(i % 2 == 0 ? "ListWorkflows" : "GetInputCount", null, s.Token)).ToArray();
                var many = new CancellationTokenSource();
                var pendingBatch = client.CallManyAsync(new[] { new ClarifaiCall("ListWorkflows"), new ClarifaiCall("GetInputCount") }, many.Token);
                Thread.Sleep(200);
                var cancellers = new[] { 0, 1 }.Select(k => new Thread(() =>
                {
                    for (int i = k; i < sources.Length; i += 2)
                        sources[i].Cancel();
                })).ToArray();
                foreach (var t in cancellers)
                    t.Start();
                many.Cancel();
                foreach (var t in cancellers)
                    t.Join();
                Check(Task.WaitAll(pending.Cast<Task>().Select(t => t.ContinueWith(_ => { })).ToArray(), 20000), "cancelled calls complete");
                Check(pending.Where((t, i) => i % 2 == 0).All(t => t.IsCanceled), "the slow calls are cancelled");
                foreach (var t in pending.Where(t => t.Status == TaskStatus.RanToCompletion))
                    t.Result.Dispose();
                Check(((IAsyncResult)pendingBatch).AsyncWaitHandle.WaitOne(20000) && pendingBatch.IsCanceled, "the batch is cancelled");
                using (var cts = new CancellationTokenSource(200))
                {
                    try
                    {
                        client.Call("ListWorkflows", null, cts.Token);
                        Check(false, "a blocking call is cancelled");
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                try
                {
                    client.Call("ListWorkflows", null, new ClarifaiCallOptions { Timeout = TimeSpan.FromMilliseconds(100) });
                    Check(false, "a call times out");
                }
                catch (TransportException e)
                {
                    Check(e.Result == ClarifaiResult.Timeout, "a call's own timeout");
                }
            }
        }

        using (ClarifaiClient admin = ClarifaiClient.WithPat(pat, user, app, options))
        {
            using (ClarifaiKey created = admin.CreateKey(app, "smoke", new[] { "Inputs:Get" }, new[] { "ListInputs" }))
            {
                using (ClarifaiKeyList keys = admin.ListKeys())
                    Check(keys.Any(k => k.Description == "smoke"), "ListKeys");
                using (ClarifaiKey rotated = admin.RotateKey(created.Id))
                    admin.DeleteKey(rotated.Id);
            }
        }

        // An undisposed client, response, key list and scopes: the finalizers free them.
        var leaked = new ClarifaiClient(key, options);
        leaked.Call("ListInputs");
        leaked.MyScopes();
        ClarifaiClient.WithPat(pat, user, app, options).ListKeys();
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
