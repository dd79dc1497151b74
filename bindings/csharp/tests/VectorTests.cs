using System;
using System.Collections.Generic;
using System.IO;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>The shared conformance vectors (tests/vectors/cases.json), one test per case.</summary>
    [TestFixture]
    public class VectorTests
    {
        // Each C result name, the enum value it is, and the exception the binding maps it to.
        private static readonly Dictionary<string, KeyValuePair<ClarifaiResult, Type>> Mapping = new Dictionary<string, KeyValuePair<ClarifaiResult, Type>>
        {
            { "CLARIFAI_RESULT_OK", Map(ClarifaiResult.Ok, null) },
            { "CLARIFAI_RESULT_NULL_ARGUMENT", Map(ClarifaiResult.NullArgument, typeof(ClarifaiArgumentException)) },
            { "CLARIFAI_RESULT_INVALID_ARGUMENT", Map(ClarifaiResult.InvalidArgument, typeof(ClarifaiArgumentException)) },
            { "CLARIFAI_RESULT_UNKNOWN_ENDPOINT", Map(ClarifaiResult.UnknownEndpoint, typeof(ClarifaiArgumentException)) },
            { "CLARIFAI_RESULT_MISSING_CONFIG", Map(ClarifaiResult.MissingConfig, typeof(ClarifaiConfigurationException)) },
            { "CLARIFAI_RESULT_API_ERROR", Map(ClarifaiResult.ApiError, typeof(ClarifaiException)) },
            { "CLARIFAI_RESULT_INSUFFICIENT_SCOPES", Map(ClarifaiResult.InsufficientScopes, typeof(MissingScopesException)) },
            { "CLARIFAI_RESULT_KEY_NOT_FOUND", Map(ClarifaiResult.KeyNotFound, typeof(KeyNotFoundException)) },
            { "CLARIFAI_RESULT_KEY_INVALID", Map(ClarifaiResult.KeyInvalid, typeof(InvalidKeyException)) },
            { "CLARIFAI_RESULT_INVALID_REQUEST", Map(ClarifaiResult.InvalidRequest, typeof(InvalidRequestException)) },
            { "CLARIFAI_RESULT_PAT_REQUIRED", Map(ClarifaiResult.PatRequired, typeof(PatRequiredException)) },
            { "CLARIFAI_RESULT_THROTTLED", Map(ClarifaiResult.Throttled, typeof(ThrottledException)) },
            { "CLARIFAI_RESULT_NOT_FOUND", Map(ClarifaiResult.NotFound, typeof(ClarifaiException)) },
            { "CLARIFAI_RESULT_METHOD_NOT_ALLOWED", Map(ClarifaiResult.MethodNotAllowed, typeof(ClarifaiException)) },
            { "CLARIFAI_RESULT_CONNECT", Map(ClarifaiResult.Connect, typeof(TransportException)) },
            { "CLARIFAI_RESULT_DNS", Map(ClarifaiResult.Dns, typeof(TransportException)) },
            { "CLARIFAI_RESULT_TIMEOUT", Map(ClarifaiResult.Timeout, typeof(TransportException)) },
            { "CLARIFAI_RESULT_TLS", Map(ClarifaiResult.Tls, typeof(TransportException)) },
            { "CLARIFAI_RESULT_BODY_TOO_LARGE", Map(ClarifaiResult.BodyTooLarge, typeof(TransportException)) },
            { "CLARIFAI_RESULT_REDIRECT_REFUSED", Map(ClarifaiResult.RedirectRefused, typeof(TransportException)) },
            { "CLARIFAI_RESULT_IO", Map(ClarifaiResult.Io, typeof(TransportException)) },
            { "CLARIFAI_RESULT_INSECURE_URL", Map(ClarifaiResult.InsecureUrl, typeof(ClarifaiConfigurationException)) },
            { "CLARIFAI_RESULT_MALFORMED_RESPONSE", Map(ClarifaiResult.MalformedResponse, typeof(TransportException)) },
            { "CLARIFAI_RESULT_ROTATION_INCOMPLETE", Map(ClarifaiResult.RotationIncomplete, typeof(RotationIncompleteException)) },
            { "CLARIFAI_RESULT_STATE", Map(ClarifaiResult.State, typeof(ClarifaiException)) },
            { "CLARIFAI_RESULT_PANIC", Map(ClarifaiResult.Panic, typeof(ClarifaiException)) },
        };

        private static KeyValuePair<ClarifaiResult, Type> Map(ClarifaiResult r, Type t)
        {
            return new KeyValuePair<ClarifaiResult, Type>(r, t);
        }

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
                    vectors = (Dictionary<string, object>)MiniJson.Parse(File.ReadAllText(path));
                }
                return vectors;
            }
        }

        public static IEnumerable<TestCaseData> Cases()
        {
            foreach (object o in (List<object>)Vectors["cases"])
            {
                var c = (Dictionary<string, object>)o;
                yield return new TestCaseData(c).SetName("vector: " + c["name"]);
            }
        }

        [TestFixtureSetUp]
        public void SetUpClients()
        {
            var args = new List<string>();
            object a;
            if (Vectors.TryGetValue("emulator_args", out a))
                foreach (object s in (List<object>)a)
                    args.Add((string)s);
            emu = Emulator.Start(args);
            clients = new Dictionary<string, ClarifaiClient>();
            using (ClarifaiClient pat = emu.PatClient())
            {
                object setup;
                if (Vectors.TryGetValue("setup", out setup))
                    foreach (object app in MiniJson.StringList(((Dictionary<string, object>)setup)["apps"]))
                        CreateAppIgnoringExists(pat, (string)app);
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
            catch (ClarifaiException e)
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
                ClarifaiKey key = pat.CreateKey(
                    app == "demo" ? emu.AppId : app,
                    "conformance vector key",
                    MiniJson.StringList(create["scopes"]),
                    create.TryGetValue("endpoints", out endpoints) ? MiniJson.StringList(endpoints) : null);
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
            {
                var copy = new Dictionary<string, object>();
                foreach (var kv in obj)
                    copy[kv.Key] = Substitute(kv.Value);
                return copy;
            }
            var list = v as List<object>;
            if (list != null)
                return list.ConvertAll(Substitute);
            return v;
        }

        [Test, TestCaseSource("Cases")]
        public void Vector(Dictionary<string, object> c)
        {
            ClarifaiClient client = clients[(string)c["credential"]];
            var expect = (Dictionary<string, object>)Substitute(c["expect"]);
            ClarifaiResponse response = null;
            Exception error = null;
            try
            {
                object op;
                if (c.TryGetValue("call", out op))
                {
                    var call = (Dictionary<string, object>)Substitute(op);
                    object p;
                    response = client.Call((string)call["endpoint"], call.TryGetValue("params", out p) ? MiniJson.Write(p) : null);
                }
                else
                {
                    var req = (Dictionary<string, object>)Substitute(c["request"]);
                    object body;
                    req.TryGetValue("body", out body);
                    response = client.Request((string)req["method"], (string)req["path"], body == null ? null : MiniJson.Write(body));
                }
            }
            catch (ClarifaiException e)
            {
                error = e;
            }
            catch (ClarifaiArgumentException e)
            {
                error = e;
            }

            string what = error == null ? "OK" : error.GetType().Name + ": " + error.Message;
            object v;
            if (expect.TryGetValue("result", out v))
            {
                KeyValuePair<ClarifaiResult, Type> m;
                Assert.IsTrue(Mapping.TryGetValue((string)v, out m), "unknown result name " + v);
                if (m.Value == null)
                {
                    Assert.IsNull(error, "expected success, got " + what);
                }
                else
                {
                    Assert.IsNotNull(error, "expected " + v + ", got success");
                    Assert.AreEqual(m.Value, error.GetType(), "exception class for " + v);
                    var result = error is ClarifaiException ? ((ClarifaiException)error).Result : ((ClarifaiArgumentException)error).Result;
                    Assert.AreEqual(m.Key, result, "result (" + what + ")");
                }
            }
            var ce = error as ClarifaiException;
            if (expect.TryGetValue("code", out v))
                Assert.AreEqual((long)v, response != null ? response.StatusCode : ce != null ? ce.StatusCode : 0, "code (" + what + ")");
            if (expect.TryGetValue("http", out v))
                Assert.AreEqual((long)v, response != null ? response.HttpStatus : ce != null ? ce.HttpStatus : 0, "http (" + what + ")");
            if (expect.TryGetValue("route", out v))
            {
                const string header = "X-Clarifai-Emulator-Route";
                Assert.AreEqual(v, response != null ? response.GetHeader(header) : ce != null ? ce.GetHeader(header) : null, "route (" + what + ")");
            }
            var ms = error as MissingScopesException;
            if (expect.TryGetValue("missing_scopes", out v))
            {
                Assert.IsNotNull(ms, "expected missing scopes, got " + what);
                CollectionAssert.AreEqual(MiniJson.StringList(v), ms.MissingScopes, "missing_scopes");
            }
            if (expect.TryGetValue("missing_endpoint", out v))
            {
                Assert.IsNotNull(ms, "expected a missing endpoint, got " + what);
                CollectionAssert.AreEqual(v == null ? new string[0] : new[] { (string)v }, ms.MissingEndpoints, "missing_endpoint");
            }
            if (response != null)
                response.Dispose();
        }
    }
}
