using System;
using System.Linq;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// Client options: C# only passes them on; the library checks every value (the same checks
    /// as in C and Rust) and applies them.
    /// </summary>
    [TestFixture]
    public class OptionsTests
    {
        private static Emulator Emu { get { return Suite.Emu; } }

        private static ClarifaiArgumentException Refused(ClarifaiClientOptions o)
        {
            if (o.BaseUrl == null)
                o.BaseUrl = Emu.Url;
            var e = Assert.Throws<ClarifaiArgumentException>(() => new ClarifaiClient(Emu.ApiKey, o).Dispose());
            Assert.AreEqual(ClarifaiResult.InvalidArgument, e.Result);
            return e;
        }

        [Test]
        public void BadValuesAreRefusedByTheLibraryNamingTheSetting()
        {
            StringAssert.Contains("timeout", Refused(new ClarifaiClientOptions { Timeout = TimeSpan.Zero }).Message);
            StringAssert.Contains("timeout", Refused(new ClarifaiClientOptions { Timeout = TimeSpan.FromSeconds(-1) }).Message);
            StringAssert.Contains("timeout", Refused(new ClarifaiClientOptions { ConnectTimeout = TimeSpan.Zero }).Message);
            StringAssert.Contains("concurrency", Refused(new ClarifaiClientOptions { MaxConcurrency = 0 }).Message);
            StringAssert.Contains("response bytes", Refused(new ClarifaiClientOptions { MaxResponseBytes = 0 }).Message);
            StringAssert.Contains("retries", Refused(new ClarifaiClientOptions { MaxRetries = uint.MaxValue }).Message);
            StringAssert.Contains("user agent", Refused(new ClarifaiClientOptions { UserAgent = "" }).Message);
            StringAssert.Contains("user agent", Refused(new ClarifaiClientOptions { UserAgent = "caf\u00e9" }).Message);
            StringAssert.Contains("proxy", Refused(new ClarifaiClientOptions { Proxy = "not a proxy url" }).Message);
            Refused(new ClarifaiClientOptions { BaseUrl = "ftp://example.com" });
            Refused(new ClarifaiClientOptions { CaFile = "/no/such/ca.pem" });
        }

        [Test]
        public void InsecureHttpNeedsTheOptIn()
        {
            var e = Assert.Throws<ClarifaiConfigurationException>(() => new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = "http://example.invalid" }));
            Assert.AreEqual(ClarifaiResult.InsecureUrl, e.Result);
            Assert.Throws<ClarifaiConfigurationException>(() => new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = "http://example.invalid", DangerAllowInsecureHttp = false }));
            using (new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = "http://example.invalid", DangerAllowInsecureHttp = true }))
            {
            }
        }

        [Test]
        public void ValuesReachTheLibrary()
        {
            var options = new ClarifaiClientOptions
            {
                BaseUrl = Emu.Url,
                Timeout = TimeSpan.FromSeconds(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                MaxRetries = 1,
                MaxConcurrency = 4,
                UserAgent = "clarifai-csharp-tests/1.0",
            };
            using (var client = new ClarifaiClient(Emu.ApiKey, options))
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);

            options.MaxResponseBytes = 16;
            using (var client = new ClarifaiClient(Emu.ApiKey, options))
                Assert.AreEqual(ClarifaiResult.BodyTooLarge, Assert.Throws<TransportException>(() => client.Call("ListInputs")).Result);
        }

        [Test]
        public void Http2PriorKnowledgeSpeaksHttp2ToTheEmulator()
        {
            foreach (bool? h2 in new bool?[] { null, false, true })
            {
                Emu.ClearRequests();
                using (var client = new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = Emu.Url, MaxRetries = 0, Http2PriorKnowledge = h2 }))
                    client.Call("GetInputCount");
                var seen = Emu.Requests().Single(r => (string)r["path"] == "/v2/inputs/status");
                Assert.AreEqual(h2 == true ? "HTTP/2" : "HTTP/1.1", seen["http_version"], "Http2PriorKnowledge = " + h2);
            }
        }

        [Test]
        public void ProxySendsEveryRequestThroughIt()
        {
            using (var proxy = new TestProxy())
            using (var client = new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = Emu.Url, MaxRetries = 0, Proxy = proxy.Url }))
            {
                ClarifaiResponse r = client.Call("GetInputCount");
                Assert.AreEqual("yes", r.GetHeader("X-Via-Test-Proxy"));
                CollectionAssert.AreEqual(new[] { "GET " + Emu.Url + "/v2/inputs/status HTTP/1.1" }, proxy.RequestLines);
            }
        }

        [Test]
        public void ProxyFromEnvironmentFollowsHttpProxyOrNot()
        {
            const string host = "http://api.clarifai-csharp-tests.invalid";
            using (var proxy = new TestProxy())
            {
                Environment.SetEnvironmentVariable("http_proxy", proxy.Url);
                try
                {
                    foreach (bool? fromEnv in new bool?[] { null, true })
                    {
                        using (var client = new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = host, DangerAllowInsecureHttp = true, MaxRetries = 0, ProxyFromEnvironment = fromEnv }))
                            Assert.AreEqual("yes", client.Call("GetInputCount").GetHeader("X-Via-Test-Proxy"), "ProxyFromEnvironment = " + fromEnv);
                    }
                    Assert.AreEqual(2, proxy.RequestLines.Count);
                    using (var client = new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = host, DangerAllowInsecureHttp = true, MaxRetries = 0, ProxyFromEnvironment = false }))
                    {
                        var e = Assert.Throws<TransportException>(() => client.Call("GetInputCount"));
                        Assert.AreEqual(ClarifaiResult.Dns, e.Result, e.Message);
                    }
                    Assert.AreEqual(2, proxy.RequestLines.Count, "no request through the proxy");
                }
                finally
                {
                    Environment.SetEnvironmentVariable("http_proxy", null);
                }
            }
        }

        [Test]
        public void RuntimeWorkerThreadsAreTheLibrarysToCheck()
        {
            Assert.AreEqual(ClarifaiResult.InvalidArgument, Assert.Throws<ClarifaiArgumentException>(() => ClarifaiClient.SetRuntimeWorkerThreads(0)).Result);
            Assert.Throws<ClarifaiArgumentException>(() => ClarifaiClient.SetRuntimeWorkerThreads(uint.MaxValue));
            // The runtime runs once a call has been made; then only its own count is accepted.
            using (ClarifaiClient client = Emu.AppKeyClient())
                client.Call("GetInputCount");
            ClarifaiClient.SetRuntimeWorkerThreads(1);
            var e = Assert.Throws<ClarifaiStateException>(() => ClarifaiClient.SetRuntimeWorkerThreads(2));
            Assert.AreEqual(ClarifaiErrorKind.State, e.Kind);
            ClarifaiClient.SetRuntimeWorkerThreads(1);
        }
    }
}
