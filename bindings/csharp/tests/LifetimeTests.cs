using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>Dispose, double Dispose, use after Dispose, and the finalizer paths.</summary>
    [TestFixture]
    public class LifetimeTests
    {
        private static Emulator Emu { get { return Suite.Emu; } }

        [Test]
        public void DisposeTwiceIsHarmless()
        {
            ClarifaiClient client = Emu.AppKeyClient();
            ClarifaiResponse r = client.Call("ListInputs");
            r.Dispose();
            r.Dispose();
            client.Dispose();
            client.Dispose();
            Assert.AreEqual("ClarifaiClient(disposed)", client.ToString());
        }

        [Test]
        public void UseAfterDisposeThrowsObjectDisposed()
        {
            ClarifaiClient client = Emu.AppKeyClient();
            ClarifaiResponse r = client.Call("ListInputs");
            client.Dispose();
            Assert.Throws<ObjectDisposedException>(() => client.Call("ListInputs"));
            Assert.Throws<ObjectDisposedException>(() => client.CallAsync("ListInputs"));
            Assert.Throws<ObjectDisposedException>(() => client.WithApiKey(Emu.ApiKey));
            Assert.Throws<ObjectDisposedException>(() => client.MyScopes());
            // A response outlives its client; after its own Dispose only the header lookup goes.
            Assert.AreEqual("GET /v2/inputs", r.GetHeader("X-Clarifai-Emulator-Route"));
            r.Dispose();
            Assert.AreEqual(10000, r.StatusCode);
            StringAssert.Contains("status", r.Json);
            Assert.Throws<ObjectDisposedException>(() => r.GetHeader("X-Clarifai-Emulator-Route"));
        }

        [Test]
        public void PendingAsyncCallsCompleteAfterDispose()
        {
            Task<ClarifaiResponse> t;
            using (ClarifaiClient client = Emu.AppKeyClient())
                t = client.CallAsync("PostModelOutputs", Predict);
            Assert.IsTrue(t.Wait(TimeSpan.FromSeconds(10)), "the call completes");
            Assert.AreEqual(10000, t.Result.StatusCode);
        }

        internal const string Predict = "{\"model_id\":\"general-image-recognition\",\"inputs\":[{\"data\":{\"image\":{\"url\":\"https://samples.clarifai.com/metro-north.jpg\"}}}]}";

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static List<WeakReference> MakeGarbage()
        {
            var refs = new List<WeakReference>();
            for (int i = 0; i < 20; i++)
            {
                var client = Emu.AppKeyClient();
                var derived = client.WithApiKey(Emu.ApiKey);
                ClarifaiResponse r = derived.Call("ListInputs");
                var batch = client.CallMany(new[] { new ClarifaiCall("ListInputs"), new ClarifaiCall("ListDatasets") });
                refs.Add(new WeakReference(client));
                refs.Add(new WeakReference(derived));
                refs.Add(new WeakReference(r));
                refs.Add(new WeakReference(batch[1].Error));
            }
            return refs;
        }

        [Test]
        public void FinalizersFreeUndisposedClientsResponsesAndBatches()
        {
            List<WeakReference> refs = MakeGarbage();
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            int alive = refs.FindAll(w => w.IsAlive).Count;
            // Mono's conservative stack scanning may pin a stray object; nearly all must go.
            Assert.LessOrEqual(alive, 4, alive + " of " + refs.Count + " objects survived");
            // The library is still sound after the finalizers ran on the finalizer thread.
            using (ClarifaiClient client = Emu.AppKeyClient())
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
        }

        [Test]
        public void DisposingWhileOtherThreadsCallIsSafe()
        {
            ClarifaiClient client = Emu.AppKeyClient();
            var tasks = new List<Task>();
            for (int i = 0; i < 4; i++)
                tasks.Add(Task.Run(() =>
                {
                    for (int j = 0; j < 50; j++)
                    {
                        try
                        {
                            client.Call("ListInputs").Dispose();
                        }
                        catch (ObjectDisposedException)
                        {
                            return;
                        }
                    }
                }));
            System.Threading.Thread.Sleep(20);
            client.Dispose();
            Assert.IsTrue(Task.WaitAll(tasks.ToArray(), TimeSpan.FromSeconds(30)), "callers finish");
        }
    }
}
