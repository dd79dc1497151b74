using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// The shared conformance vectors (tests/vectors/cases.json), one test per case. Expected
    /// results are C names; the exception class is the one docs/errors.md names for the result's
    /// kind: no copy of either table here.
    /// </summary>
    [TestFixture]
    public class VectorTests
    {
        private static Dictionary<string, object> vectors;
        private Emulator emu;
        private Dictionary<string, ClarifaiClient> clients;

        private static Dictionary<string, object> Vectors
        {
            get
            {
                if (vectors == null)
                {
                    string path = Path.Combine(Path.Combine(Path.Combine(Emulator.RepoRoot, "tests"), "vectors"), "cases.json");
                    vectors = Json.Object(File.ReadAllText(path));
                }
                return vectors;
            }
        }

        public static IEnumerable<TestCaseData> Cases()
        {
            foreach (object o in Json.List(Vectors["cases"]))
            {
                var c = (Dictionary<string, object>)o;
                yield return new TestCaseData(c).SetName("vector: " + c["name"]);
            }
        }

        public static IEnumerable<TestCaseData> OptionCases()
        {
            foreach (object o in Json.List(Vectors["option_cases"]))
            {
                var c = (Dictionary<string, object>)o;
                yield return new TestCaseData(c).SetName("vector: " + c["name"]);
            }
        }

        /// <summary>
        /// The same bad setting is refused as in every other front end: the library checks it when
        /// the client is made; the binding passes it on as set.
        /// </summary>
        [Test, TestCaseSource("OptionCases")]
        public void OptionVector(Dictionary<string, object> c)
        {
            ClarifaiClientOptions options = emu.Options();
            foreach (var kv in (Dictionary<string, object>)c["options"])
            {
                switch (kv.Key)
                {
                    case "base_url": options.BaseUrl = (string)kv.Value; break;
                    case "timeout_ms": options.Timeout = TimeSpan.FromMilliseconds(Convert.ToDouble(kv.Value)); break;
                    case "connect_timeout_ms": options.ConnectTimeout = TimeSpan.FromMilliseconds(Convert.ToDouble(kv.Value)); break;
                    case "user_agent": options.UserAgent = (string)kv.Value; break;
                    case "max_concurrency": options.MaxConcurrency = Convert.ToUInt32(kv.Value); break;
                    case "max_retries": options.MaxRetries = Convert.ToUInt32(kv.Value); break;
                    case "max_response_bytes": options.MaxResponseBytes = Convert.ToUInt64(kv.Value); break;
                    case "proxy": options.Proxy = (string)kv.Value; break;
                    default: Assert.Fail("unknown option " + kv.Key); break;
                }
            }
            var expect = (Dictionary<string, object>)c["expect"];
            string want = (string)expect["result"];
            ClarifaiClient client = null;
            try
            {
                client = new ClarifaiClient(emu.ApiKey, options);
            }
            catch (ClarifaiException e)
            {
                Assert.AreEqual(want, e.ResultName, "result (" + e.Message + ")");
                Assert.AreEqual(ErrorTable.ClassOf(ErrorTable.KindOf(want)), e.GetType().Name, "exception class for " + want);
                return;
            }
            using (client)
            {
                Assert.AreEqual(want, "CLARIFAI_RESULT_OK", "the client was made");
                object noCall;
                if (!(expect.TryGetValue("no_call", out noCall) && (bool)noCall))
                    client.Call("ListInputs", "{}").Dispose();
            }
        }

        [TestFixtureSetUp]
        public void SetUpClients()
        {
            object a;
            emu = Emulator.Start(Vectors.TryGetValue("emulator_args", out a) ? Json.Strings(a) : new List<string>());
            clients = new Dictionary<string, ClarifaiClient>();
            using (ClarifaiClient pat = emu.PatClient())
            {
                object setup;
                if (Vectors.TryGetValue("setup", out setup))
                    foreach (string app in Json.Strings(((Dictionary<string, object>)setup)["apps"]))
                        CreateAppIgnoringExists(pat, app);
                foreach (var kv in (Dictionary<string, object>)Vectors["credentials"])
                    clients[kv.Key] = MakeClient(pat, (Dictionary<string, object>)kv.Value);
            }
        }

        private static void CreateAppIgnoringExists(ClarifaiClient pat, string appId)
        {
            try
            {
                pat.CreateApp(appId);
            }
            catch (ClarifaiApiException e)
            {
                if (e.Message.IndexOf("exist", StringComparison.OrdinalIgnoreCase) < 0)
                    throw;
            }
        }

        private ClarifaiClient MakeClient(ClarifaiClient pat, Dictionary<string, object> spec)
        {
            string kind = (string)spec["kind"];
            object v;
            if (kind == "pat")
                return ClarifaiClient.WithPat(emu.Pat, emu.UserId, emu.AppId, emu.Options());
            Assert.AreEqual("api_key", kind, "credential kind");
            if (spec.TryGetValue("token", out v))
                return new ClarifaiClient((string)v, emu.Options());
            if (spec.TryGetValue("create", out v))
            {
                var create = (Dictionary<string, object>)v;
                string app = (string)create["app"];
                object endpoints;
                using (ClarifaiKey key = pat.CreateKey(
                    app == "demo" ? emu.AppId : app,
                    "conformance vector key",
                    Json.Strings(create["scopes"]),
                    create.TryGetValue("endpoints", out endpoints) ? Json.Strings(endpoints) : null))
                    return new ClarifaiClient(key.Id, emu.Options());
            }
            return new ClarifaiClient(emu.ApiKey, emu.Options());
        }

        [TestFixtureTearDown]
        public void TearDownClients()
        {
            if (clients != null)
                foreach (ClarifaiClient c in clients.Values)
                    c.Dispose();
            if (emu != null)
                emu.Dispose();
        }

        private object Substitute(object v)
        {
            var s = v as string;
            if (s != null)
                return s.Replace("{user_id}", emu.UserId).Replace("{app_id}", emu.AppId);
            var obj = v as Dictionary<string, object>;
            if (obj != null)
                return obj.ToDictionary(kv => kv.Key, kv => Substitute(kv.Value));
            var list = v as object[];
            if (list != null)
                return list.Select(Substitute).ToArray();
            return v;
        }

        [Test, TestCaseSource("Cases")]
        public void Vector(Dictionary<string, object> c)
        {
            ClarifaiClient client = clients[(string)c["credential"]];
            var expect = (Dictionary<string, object>)Substitute(c["expect"]);
            ClarifaiResponse response = null;
            ClarifaiException error = null;
            try
            {
                object op;
                if (c.TryGetValue("call", out op))
                {
                    var call = (Dictionary<string, object>)Substitute(op);
                    object p;
                    response = client.Call((string)call["endpoint"], call.TryGetValue("params", out p) ? Json.Write(p) : null);
                }
                else
                {
                    var req = (Dictionary<string, object>)Substitute(c["request"]);
                    object body;
                    req.TryGetValue("body", out body);
                    response = client.Request((string)req["method"], (string)req["path"], body == null ? null : Json.Write(body));
                }
            }
            catch (ClarifaiException e)
            {
                error = e;
            }

            string what = error == null ? "OK" : error.GetType().Name + ": " + error.Message;
            object v;
            if (expect.TryGetValue("result", out v))
            {
                string name = (string)v;
                if (name == "CLARIFAI_RESULT_OK")
                {
                    Assert.IsNull(error, "expected success, got " + what);
                }
                else
                {
                    Assert.IsNotNull(error, "expected " + name + ", got success");
                    Assert.AreEqual(name, error.ResultName, "result (" + what + ")");
                    Assert.AreEqual(ErrorTable.ClassOf(ErrorTable.KindOf(name)), error.GetType().Name, "exception class for " + name);
                }
            }
            if (expect.TryGetValue("code", out v))
                Assert.AreEqual(Convert.ToInt64(v), response != null ? response.StatusCode : error != null ? error.StatusCode : 0, "code (" + what + ")");
            if (expect.TryGetValue("http", out v))
                Assert.AreEqual(Convert.ToInt64(v), response != null ? response.HttpStatus : error != null ? error.HttpStatus : 0, "http (" + what + ")");
            if (expect.TryGetValue("route", out v))
            {
                const string header = "X-Clarifai-Emulator-Route";
                Assert.AreEqual(v, response != null ? response.GetHeader(header) : error != null ? error.GetHeader(header) : null, "route (" + what + ")");
            }
            if (expect.TryGetValue("missing_scopes", out v))
            {
                Assert.IsInstanceOf<MissingScopesException>(error, "expected missing scopes, got " + what);
                CollectionAssert.AreEqual(Json.Strings(v), error.MissingScopes, "missing_scopes");
            }
            if (expect.TryGetValue("missing_endpoint", out v))
            {
                Assert.IsInstanceOf<MissingScopesException>(error, "expected a missing endpoint, got " + what);
                Assert.AreEqual(v, error.MissingEndpoint, "missing_endpoint");
            }
            if (expect.TryGetValue("retry_after", out v))
            {
                Assert.IsNotNull(error, "expected Retry-After, got " + what);
                Assert.AreEqual(TimeSpan.FromSeconds(Convert.ToInt64(v)), error.RetryAfter, "retry_after");
            }
            if (response != null)
                response.Dispose();
        }
    }
}
