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
    /// <summary>
    /// CancellationToken on every kind of call: a cancelled call ends at once, the server sees
    /// its request aborted, the client stays usable, and every callback runs exactly once.
    /// </summary>
    [TestFixture]
    public class CancellationTests
    {
        private static Emulator Emu { get { return Suite.Emu; } }

        // Time from Cancel() to the call's end.
        private static readonly TimeSpan Prompt = TimeSpan.FromMilliseconds(50);

        /// <summary>Delays the next <paramref name="n"/> ListInputs by 5 s and clears the request log.</summary>
        private static void DelayListInputs(int n = 1)
        {
            Emu.AddFaults("ListInputs=delay:5000,times=" + n);
            Emu.ClearRequests();
        }

        private static void AssertAborted(int count = 1)
        {
            var aborted = Emu.WaitForRequest(r => (bool)r["aborted"] && Emu.Requests().Count(x => (bool)x["aborted"]) >= count, TimeSpan.FromSeconds(5));
            Assert.IsNotNull(aborted, "the emulator saw the request aborted");
        }

        // Lets the request reach the server before it is cancelled.
        private static void InFlight()
        {
            Thread.Sleep(300);
        }

        [Test]
        public void CancellingCallAsyncCancelsTheTaskAndAbortsTheRequest()
        {
            DelayListInputs();
            using (ClarifaiClient client = Emu.AppKeyClient())
            using (var cts = new CancellationTokenSource())
            {
                Task<ClarifaiResponse> t = client.CallAsync("ListInputs", null, cts.Token);
                InFlight();
                Assert.IsFalse(t.IsCompleted);
                var sw = Stopwatch.StartNew();
                cts.Cancel();
                Assert.IsTrue(((IAsyncResult)t).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2)), "the task completes");
                sw.Stop();
                Console.WriteLine("CallAsync cancelled in {0:F2} ms", sw.Elapsed.TotalMilliseconds);
                Assert.Less(sw.Elapsed, Prompt, "cancelled promptly");
                Assert.IsTrue(t.IsCanceled, "the task is canceled, not faulted: " + t.Status);
                var e = Assert.Throws<AggregateException>(() => t.Wait());
                var tce = (TaskCanceledException)e.InnerException;
                Assert.AreEqual(cts.Token, tce.CancellationToken);
                AssertAborted();

                // The same client goes on: the fault was for one request.
                var next = Stopwatch.StartNew();
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
                Assert.Less(next.Elapsed, TimeSpan.FromSeconds(2));
            }
        }

        [Test]
        public void CancellingABlockingCallFromAnotherThreadThrowsOperationCanceled()
        {
            DelayListInputs();
            using (ClarifaiClient client = Emu.AppKeyClient())
            using (var cts = new CancellationTokenSource())
            {
                var sw = new Stopwatch();
                var canceller = Task.Run(() =>
                {
                    InFlight();
                    sw.Start();
                    cts.Cancel();
                });
                var e = Assert.Throws<OperationCanceledException>(() => client.Call("ListInputs", null, cts.Token));
                sw.Stop();
                canceller.Wait();
                Console.WriteLine("Call cancelled in {0:F2} ms", sw.Elapsed.TotalMilliseconds);
                Assert.Less(sw.Elapsed, Prompt, "cancelled promptly");
                Assert.AreEqual(cts.Token, e.CancellationToken);
                AssertAborted();
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
            }
        }

        [Test]
        public void CancellingABatchCancelsWhatIsStillRunning()
        {
            DelayListInputs(2);
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var calls = new[] { new ClarifaiCall("GetInputCount"), new ClarifaiCall("ListInputs") };
                using (var cts = new CancellationTokenSource())
                {
                    var t = client.CallManyAsync(calls, cts.Token);
                    InFlight();
                    var sw = Stopwatch.StartNew();
                    cts.Cancel();
                    Assert.IsTrue(((IAsyncResult)t).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2)));
                    Assert.Less(sw.Elapsed, Prompt, "cancelled promptly");
                    Assert.IsTrue(t.IsCanceled, t.Status.ToString());
                }
                using (var cts = new CancellationTokenSource())
                {
                    var sw = new Stopwatch();
                    Task.Run(() => { InFlight(); sw.Start(); cts.Cancel(); });
                    var e = Assert.Throws<OperationCanceledException>(() => client.CallMany(calls, cts.Token));
                    sw.Stop();
                    Assert.Less(sw.Elapsed, Prompt, "cancelled promptly");
                    Assert.AreEqual(cts.Token, e.CancellationToken);
                }
                AssertAborted(2);
                Assert.IsTrue(client.CallMany(calls).All(r => r.Succeeded), "the client goes on");
            }
        }

        [Test]
        public void AnAlreadyCancelledTokenSendsNothing()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                Emu.ClearRequests();
                Assert.IsTrue(client.CallAsync("ListInputs", null, cts.Token).IsCanceled);
                Assert.IsTrue(client.CallManyAsync(new[] { new ClarifaiCall("ListInputs") }, cts.Token).IsCanceled);
                Assert.Throws<OperationCanceledException>(() => client.Call("ListInputs", null, cts.Token));
                Assert.Throws<OperationCanceledException>(() => client.CallMany(new[] { new ClarifaiCall("ListInputs") }, cts.Token));
                Assert.AreEqual(0, Emu.Requests().Count);
            }
        }

        [Test]
        public void ATokenCancelledAfterTheAnswerChangesNothing()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            using (var cts = new CancellationTokenSource())
            {
                Task<ClarifaiResponse> t = client.CallAsync("ListInputs", null, cts.Token);
                Assert.AreEqual(10000, t.Result.StatusCode);
                var batch = client.CallManyAsync(new[] { new ClarifaiCall("ListInputs") }, cts.Token).Result;
                cts.Cancel();
                Assert.AreEqual(TaskStatus.RanToCompletion, t.Status);
                Assert.IsTrue(batch[0].Succeeded);
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
            }
        }

        [Test]
        public void PerCallTimeoutWinsOverTheClients()
        {
            var slow = new ClarifaiCallOptions { Timeout = TimeSpan.FromMilliseconds(200) };
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var sw = Stopwatch.StartNew();
                var e = Assert.Throws<TransportException>(() => client.Call("ListWorkflows", null, slow));
                Assert.AreEqual(ClarifaiResult.Timeout, e.Result);
                Assert.Less(sw.Elapsed, TimeSpan.FromSeconds(2), "the call's 200 ms, not the client's 60 s");

                var t = client.CallAsync("ListWorkflows", null, slow);
                var ae = Assert.Throws<AggregateException>(() => t.Wait(TimeSpan.FromSeconds(5)));
                Assert.AreEqual(ClarifaiResult.Timeout, ((TransportException)ae.InnerException).Result);

                var batch = client.CallMany(new[] { new ClarifaiCall("ListWorkflows"), new ClarifaiCall("GetInputCount") }, slow);
                Assert.AreEqual(ClarifaiResult.Timeout, ((TransportException)batch[0].Error).Result);
                Assert.IsTrue(batch[1].Succeeded);

                // The library checks the value, as for the client's timeout.
                var zero = new ClarifaiCallOptions { Timeout = TimeSpan.Zero };
                Assert.Throws<ClarifaiArgumentException>(() => client.Call("ListInputs", null, zero));
            }
        }

        [Test]
        public void TenThousandInFlightCallsCancelledFromSeveralThreadsCompleteOnceAndLeakNothing()
        {
            const int Calls = 10000, Cancellers = 4;
            using (ClarifaiClient client = new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = Emu.Url, MaxRetries = 0, MaxConcurrency = 256 }))
            {
                // The first rounds bring the runtime, its thread pools, the allocator's caches
                // and Mono's thread attachments to their working size (the native heap grows by
                // less each round). Then each round must leave handles and memory where they were.
                // The heap moves by a few hundred KB either way from round to round (malloc's
                // per-thread caches, threads the blocking pool starts under load): a leak is
                // growth in every round, so the smallest growth must be under 32 bytes a call,
                // and the total small (a call handle or response leaked per call would be 1 MB
                // to 10 MB a round).
                for (int round = 1; round <= 3; round++)
                    Round(client, Calls, Cancellers, round);
                Settle();
                long handles = NativeHandle.Live;
                int fds = Memory.OpenFiles();
                long callbacks = AsyncCall.CallbacksRun;
                long heap = Memory.NativeHeapBytes(), start = heap;
                var growth = new List<long>();
                for (int round = 4; round <= 7; round++)
                {
                    Round(client, Calls, Cancellers, round);
                    Settle();
                    long now = Memory.NativeHeapBytes();
                    growth.Add(now - heap);
                    heap = now;
                }
                Console.WriteLine("native heap growth per round of {0} calls: {1}", Calls, string.Join(", ", growth.Select(g => g.ToString("+#,0;-#,0;0"))));
                Assert.AreEqual(callbacks + 4 * Calls, AsyncCall.CallbacksRun, "one callback per call");
                Assert.AreEqual(0, AsyncCall.Pending, "no call left waiting for its callback");
                Assert.LessOrEqual(NativeHandle.Live - handles, 8, "native handles alive after the last rounds (Mono's conservative GC may keep a few)");
                Assert.Less(growth.Min(), 32 * Calls, "the native heap grows in every round: a leak");
                Assert.Less(heap - start, 4 << 20, "the native heap stays flat over 40,000 calls");
                Assert.LessOrEqual(Memory.OpenFiles() - fds, 4, "file descriptors stay flat");
            }
        }

        private static void Round(ClarifaiClient client, int calls, int cancellers, int seed)
        {
            var sources = new CancellationTokenSource[calls];
            var tasks = new Task<ClarifaiResponse>[calls];
            for (int i = 0; i < calls; i++)
            {
                sources[i] = new CancellationTokenSource();
                // The 50 ms route: about half are cancelled while queued or at the server, the
                // rest answered first.
                tasks[i] = client.CallAsync("PostModelOutputs", LifetimeTests.Predict, sources[i].Token);
            }
            var threads = Enumerable.Range(0, cancellers).Select(k => new Thread(() =>
            {
                var random = new Random(seed * 100 + k);
                for (int i = k; i < calls; i += cancellers)
                {
                    if (random.Next(8) == 0)
                        Thread.Sleep(random.Next(2));
                    if (random.Next(2) == 0)
                        sources[i].Cancel();
                }
            })).ToArray();
            foreach (var t in threads)
                t.Start();
            foreach (var t in threads)
                t.Join();
            Assert.IsTrue(Task.WaitAll(tasks.Cast<Task>().Select(t => t.ContinueWith(_ => { })).ToArray(), TimeSpan.FromSeconds(120)), "every task completes");
            int ok = 0, canceled = 0;
            foreach (var t in tasks)
            {
                if (t.Status == TaskStatus.RanToCompletion)
                {
                    ok++;
                    t.Result.Dispose();
                }
                else if (t.IsCanceled)
                {
                    canceled++;
                }
                else
                {
                    Assert.Fail("a call failed: " + t.Exception);
                }
            }
            foreach (var s in sources)
                s.Dispose();
            Console.WriteLine("round {0}: {1} answered, {2} cancelled", seed, ok, canceled);
            Assert.Greater(canceled, calls / 4, "cancellations happened while calls were in flight");
            Assert.Greater(ok, 0);
        }

        private static void Settle()
        {
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
    }
}
