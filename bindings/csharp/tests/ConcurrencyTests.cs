using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    [TestFixture]
    public class ConcurrencyTests
    {
        private static Emulator Emu { get { return Suite.Emu; } }

        [Test]
        public void SixteenThreadsShareOneClient()
        {
            const int Threads = 16, Calls = 25;
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var errors = new List<Exception>();
                int ok = 0;
                var threads = new Thread[Threads];
                for (int t = 0; t < Threads; t++)
                {
                    threads[t] = new Thread(() =>
                    {
                        try
                        {
                            for (int i = 0; i < Calls; i++)
                            {
                                using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                                    if (r.StatusCode == 10000 && r.GetHeader("X-Clarifai-Emulator-Route") == "GET /v2/inputs")
                                        Interlocked.Increment(ref ok);
                                try
                                {
                                    client.Call("ListDatasets");
                                }
                                catch (ThrottledException)
                                {
                                    Interlocked.Increment(ref ok);
                                }
                            }
                        }
                        catch (Exception e)
                        {
                            lock (errors)
                                errors.Add(e);
                        }
                    });
                    threads[t].Start();
                }
                foreach (Thread t in threads)
                    t.Join();
                Assert.AreEqual(0, errors.Count, errors.Count > 0 ? errors[0].ToString() : "");
                Assert.AreEqual(Threads * Calls * 2, ok);
            }
        }

        [Test]
        public void HundredConcurrentCallAsyncCompleteWithoutAThreadEach()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                // Warm up as wide as the measured run: libclarifai starts a worker thread per
                // call in flight (up to MaxConcurrency, kept 2 s when idle), and Mono attaches
                // each to the runtime on its first callback; the figure should be the calls.
                Task.WaitAll(Enumerable.Range(0, 100).Select(_ => client.CallAsync("PostModelOutputs", LifetimeTests.Predict)).ToArray());

                int poolBefore, io;
                ThreadPool.GetAvailableThreads(out poolBefore, out io);
                var sw = Stopwatch.StartNew();
                Task<ClarifaiResponse>[] tasks = Enumerable.Range(0, 100)
                    .Select(_ => client.CallAsync("PostModelOutputs", LifetimeTests.Predict)).ToArray();
                int poolDuring;
                ThreadPool.GetAvailableThreads(out poolDuring, out io);
                Assert.IsTrue(Task.WaitAll(tasks, TimeSpan.FromSeconds(10)), "all 100 complete");
                sw.Stop();
                foreach (var t in tasks)
                    Assert.AreEqual(10000, t.Result.StatusCode);
                Console.WriteLine("100 concurrent CallAsync against a 50 ms route: {0} ms", sw.ElapsedMilliseconds);
                // Each call takes at least 50 ms at the server: serialised they would take 5 s.
                Assert.GreaterOrEqual(sw.ElapsedMilliseconds, 50);
                Assert.Less(sw.ElapsedMilliseconds, 1000, "100 calls of 50 ms ran concurrently");
                // Starting the calls took no managed pool thread: none waits for an answer.
                Assert.Less(poolBefore - poolDuring, 4, "pool threads taken by 100 pending calls");
            }
        }

        [Test]
        public void ContinuationsDoNotRunOnTheLibraryWorker()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                // A continuation that blocks on another async call: with synchronous continuations
                // it would hold the worker that must complete the inner call.
                var outer = client.CallAsync("ListInputs").ContinueWith(t =>
                    client.CallAsync("ListInputs").Result.StatusCode, TaskContinuationOptions.ExecuteSynchronously);
                Assert.IsTrue(outer.Wait(TimeSpan.FromSeconds(10)));
                Assert.AreEqual(10000, outer.Result);
            }
        }
    }
}
