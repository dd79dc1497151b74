using System;
using System.Threading.Tasks;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>Every failure a user can meet, as the exception type it must be.</summary>
    [TestFixture]
    public class ExceptionTests
    {
        private const string Canary = "canary-0123456789abcdef-CANARY";
        private static Emulator Emu { get { return Suite.Emu; } }

        private static void NoSecretIn(Exception e)
        {
            string all = e.ToString();
            Assert.IsFalse(all.Contains(Canary), "the exception shows the key");
            Assert.IsFalse(all.Contains(Emu.ApiKey), "the exception shows the key");
            Assert.IsFalse(all.Contains(Emu.Pat), "the exception shows the PAT");
        }

        [Test]
        public void UnknownKeyIsKeyNotFound()
        {
            using (var client = new ClarifaiClient(Canary, Emu.Options()))
            {
                var e = Assert.Throws<KeyNotFoundException>(() => client.Call("ListInputs"));
                Assert.AreEqual(ClarifaiResult.KeyNotFound, e.Result);
                Assert.AreEqual(11009, e.StatusCode);
                Assert.AreEqual(401, e.HttpStatus);
                Assert.AreEqual("API key not found", e.Description);
                StringAssert.StartsWith("emu-", e.ReqId);
                Assert.IsNotNull(e.Details);
                NoSecretIn(e);
            }
        }

        [Test]
        public void MissingScopesNamesScopesAndEndpoints()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                ClarifaiKey key = pat.CreateKey(Emu.AppId, "narrow", new[] { "All" }, new[] { "PostModelOutputs" });
                using (var client = new ClarifaiClient(key.Id, Emu.Options()))
                {
                    var e = Assert.Throws<MissingScopesException>(() => client.Call("ListInputs"));
                    Assert.AreEqual(11007, e.StatusCode);
                    Assert.AreEqual(403, e.HttpStatus);
                    Assert.AreEqual("/clarifai.api.V2/ListInputs", e.MissingEndpoint);
                    Assert.AreEqual(0, e.MissingScopes.Count);
                    NoSecretIn(e);
                }
            }
        }

        [Test]
        public void PatOnlyEndpointWithAnAppKeyIsPatRequired()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                string path = "/v2/users/" + Emu.UserId + "/keys";
                var e = Assert.Throws<PatRequiredException>(() => client.Request("GET", path));
                Assert.AreEqual(11200, e.StatusCode);
                Assert.AreEqual(403, e.HttpStatus);
            }
        }

        [Test]
        public void KeyOfAnotherAppIsInvalidKey()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                string p = "{\"user_app_id\":{\"user_id\":\"" + Emu.UserId + "\",\"app_id\":\"no-such-app\"}}";
                var e = Assert.Throws<InvalidKeyException>(() => client.Call("ListInputs", p));
                Assert.AreEqual(11008, e.StatusCode);
            }
        }

        [Test]
        public void MalformedRequestIsInvalidRequest()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                string body = "{\"keys\":[{\"description\":\"bad\",\"scopes\":[\"Inputs:Frobnicate\"],\"apps\":[{\"id\":\"" + Emu.AppId + "\",\"user_id\":\"" + Emu.UserId + "\"}]}]}";
                var e = Assert.Throws<InvalidRequestException>(() => pat.Request("POST", "/v2/users/" + Emu.UserId + "/keys", body));
                Assert.AreEqual(11102, e.StatusCode);
            }
        }

        [Test]
        public void ThrottledCarriesRetryAfter()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var e = Assert.Throws<ThrottledException>(() => client.Call("ListDatasets"));
                Assert.AreEqual(11005, e.StatusCode);
                Assert.AreEqual(429, e.HttpStatus);
                Assert.AreEqual(TimeSpan.FromSeconds(7), e.RetryAfter);
                Assert.AreEqual("7", e.GetHeader("Retry-After"));
            }
        }

        [Test]
        public void UnknownRouteAndWrongMethodAreNotFoundAndMethodNotAllowed()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var notFound = Assert.Throws<NotFoundException>(() => client.Request("GET", "/v2/no-such-route"));
                Assert.AreEqual(ClarifaiResult.NotFound, notFound.Result);
                Assert.AreEqual(11101, notFound.StatusCode);
                var method = Assert.Throws<MethodNotAllowedException>(() => client.Request("PUT", "/v2/inputs/status"));
                Assert.AreEqual(ClarifaiResult.MethodNotAllowed, method.Result);
                Assert.AreEqual(11103, method.StatusCode);
            }
        }

        [Test]
        public void RefusedConnectionIsTransport()
        {
            var options = new ClarifaiClientOptions { BaseUrl = "http://127.0.0.1:1", MaxRetries = 0 };
            using (var client = new ClarifaiClient(Emu.ApiKey, options))
            {
                var e = Assert.Throws<TransportException>(() => client.Call("ListInputs"));
                Assert.AreEqual(ClarifaiResult.Connect, e.Result);
                Assert.AreEqual(0, e.HttpStatus);
                Assert.AreEqual(0, e.StatusCode);
                NoSecretIn(e);
            }
        }

        [Test]
        public void SlowAnswerPastTheTimeoutIsTransport()
        {
            var options = Emu.Options();
            options.Timeout = TimeSpan.FromMilliseconds(200);
            using (var client = new ClarifaiClient(Emu.ApiKey, options))
            {
                var e = Assert.Throws<TransportException>(() => client.Call("ListWorkflows"));
                Assert.AreEqual(ClarifaiResult.Timeout, e.Result);
            }
        }

        [Test]
        public void FailedAsyncCallFaultsTheTask()
        {
            using (var client = new ClarifaiClient(Canary, Emu.Options()))
            {
                Task<ClarifaiResponse> t = client.CallAsync("ListInputs");
                var e = Assert.Throws<AggregateException>(() => t.Wait());
                Assert.IsInstanceOf<KeyNotFoundException>(e.InnerException);
                NoSecretIn(e.InnerException);
            }
        }

        [Test]
        public void InsecureUrlAndMissingEnvironmentAreConfiguration()
        {
            var insecure = new ClarifaiClientOptions { BaseUrl = "http://example.com" };
            var e = Assert.Throws<ClarifaiConfigurationException>(() => new ClarifaiClient(Emu.ApiKey, insecure));
            Assert.AreEqual(ClarifaiResult.InsecureUrl, e.Result);
            var env = Assert.Throws<ClarifaiConfigurationException>(() => ClarifaiClient.FromEnvironment());
            Assert.AreEqual(ClarifaiResult.MissingConfig, env.Result);
            StringAssert.Contains("CLARIFAI_API_KEY", env.Message);
        }

        [Test]
        public void NullAndNulAreRefusedByDotNetBeforeTheLibrary()
        {
            Assert.Throws<ArgumentNullException>(() => new ClarifaiClient(null));
            Assert.Throws<ArgumentException>(() => new ClarifaiClient("abc\0def"));
            Assert.Throws<ArgumentNullException>(() => ClarifaiClient.WithPat(Emu.Pat, null, Emu.AppId));
            Assert.Throws<ArgumentException>(() => new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = "http://127.0.0.1\0:1" }));
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                Assert.Throws<ArgumentNullException>(() => client.Call(null));
                Assert.Throws<ArgumentException>(() => client.Call("ListInputs\0"));
                Assert.Throws<ArgumentException>(() => client.Call("ListInputs", "{}\0"));
                Assert.Throws<ArgumentException>(() => client.CallAsync("ListInputs\0x"));
                Assert.Throws<ArgumentNullException>(() => client.WithApiKey(null));
                Assert.Throws<ArgumentNullException>(() => client.CallMany(null));
                Assert.Throws<ArgumentNullException>(() => client.CallManyAsync(null));
                Assert.Throws<ArgumentException>(() => client.CallMany(new[] { new ClarifaiCall("ListInputs", "\0") }));
            }
            using (ClarifaiClient pat = Emu.PatClient())
            {
                Assert.Throws<ArgumentNullException>(() => pat.CreateKey(Emu.AppId, "x", null));
                Assert.Throws<ArgumentNullException>(() => pat.CreateKey(Emu.AppId, "x", new string[] { null }));
            }
        }

        [Test]
        public void EveryOtherBadArgumentIsTheLibrarysToRefuse()
        {
            // Empty strings and malformed values reach the library, which refuses them before any
            // request, with the same result as in C and Rust.
            var empty = Assert.Throws<ClarifaiArgumentException>(() => new ClarifaiClient("", Emu.Options()));
            Assert.AreEqual(ClarifaiResult.InvalidArgument, empty.Result);
            var spaced = Assert.Throws<ClarifaiArgumentException>(() => new ClarifaiClient("has space", Emu.Options()));
            Assert.AreEqual(ClarifaiResult.InvalidArgument, spaced.Result);
            StringAssert.DoesNotContain("has space", spaced.Message);
            Assert.Throws<ClarifaiArgumentException>(() => ClarifaiClient.WithPat(Emu.Pat, Emu.UserId, "", Emu.Options()));

            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var unknown = Assert.Throws<UnknownEndpointException>(() => client.Call("NoSuchEndpoint"));
                Assert.AreEqual(ClarifaiResult.UnknownEndpoint, unknown.Result);
                Assert.AreEqual(ClarifaiErrorKind.UnknownEndpoint, unknown.Kind);
                Assert.Throws<UnknownEndpointException>(() => client.Call(""));
                Assert.Throws<UnknownEndpointException>(() => client.CallAsync("NoSuchEndpoint"));
                var notObject = Assert.Throws<ClarifaiArgumentException>(() => client.Call("ListInputs", "[1]"));
                Assert.AreEqual(ClarifaiResult.InvalidArgument, notObject.Result);
                Assert.AreEqual("CLARIFAI_RESULT_INVALID_ARGUMENT", notObject.ResultName);
            }
            using (ClarifaiClient pat = Emu.PatClient())
                Assert.Throws<ClarifaiArgumentException>(() => pat.CreateKey(Emu.AppId, "x", new[] { "Inputs:Frobnicate" }));
        }

        [Test]
        public void DeletingAnUnknownKeyIsNotFound()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                var e = Assert.Throws<NotFoundException>(() => pat.DeleteKey(Canary));
                Assert.AreEqual(ClarifaiResult.NotFound, e.Result);
                NoSecretIn(e);
            }
        }
    }
}
