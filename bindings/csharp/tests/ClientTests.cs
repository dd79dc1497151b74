using System;
using System.Collections.Generic;
using System.Linq;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    [TestFixture]
    public class ClientTests
    {
        private const string Route = "X-Clarifai-Emulator-Route";
        private static Emulator Emu { get { return Suite.Emu; } }

        [Test]
        public void ApiKeyConstructorTakesTheBaseUrlFromTheEnvironment()
        {
            Environment.SetEnvironmentVariable("CLARIFAI_API_BASE", Emu.Url);
            try
            {
                using (var client = new ClarifaiClient(Emu.ApiKey))
                using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                {
                    Assert.AreEqual(10000, r.StatusCode);
                    Assert.AreEqual(200, r.HttpStatus);
                    Assert.AreEqual("Ok", r.Description);
                    StringAssert.StartsWith("emu-", r.ReqId);
                    StringAssert.Contains("\"status\"", r.Json);
                    Assert.AreEqual("GET /v2/inputs", r.GetHeader(Route));
                    Assert.AreEqual(CredentialKind.ApiKey, client.CredentialKind);
                }
            }
            finally
            {
                Environment.SetEnvironmentVariable("CLARIFAI_API_BASE", null);
            }
        }

        [Test]
        public void PatClientPlacesItsUserAndApp()
        {
            using (ClarifaiClient client = Emu.PatClient())
            using (ClarifaiResponse r = client.Call("ListInputs"))
            {
                Assert.AreEqual(CredentialKind.PersonalAccessToken, client.CredentialKind);
                Assert.AreEqual("GET /v2/users/" + Emu.UserId + "/apps/" + Emu.AppId + "/inputs", r.GetHeader(Route));
            }
        }

        [Test]
        public void FromEnvironmentReadsTheSdkVariables()
        {
            var vars = new Dictionary<string, string>
            {
                { "CLARIFAI_PAT", Emu.Pat }, { "CLARIFAI_USER_ID", Emu.UserId },
                { "CLARIFAI_APP_ID", Emu.AppId }, { "CLARIFAI_API_BASE", Emu.Url },
            };
            foreach (var kv in vars)
                Environment.SetEnvironmentVariable(kv.Key, kv.Value);
            try
            {
                using (ClarifaiClient client = ClarifaiClient.FromEnvironment(new ClarifaiClientOptions { MaxRetries = 0 }))
                {
                    Assert.AreEqual(CredentialKind.PersonalAccessToken, client.CredentialKind);
                    Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
                }
            }
            finally
            {
                foreach (var kv in vars)
                    Environment.SetEnvironmentVariable(kv.Key, null);
            }
        }

        [Test]
        public void OptionsAreApplied()
        {
            var options = new ClarifaiClientOptions
            {
                BaseUrl = Emu.Url,
                Timeout = TimeSpan.FromSeconds(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                MaxRetries = 1,
                MaxConcurrency = 4,
                UserAgent = "clarifai-csharp-tests/1.0",
                MaxResponseBytes = 1 << 20,
            };
            using (var client = new ClarifaiClient(Emu.ApiKey, options))
                Assert.AreEqual(10000, client.Call("ListInputs").StatusCode);
        }

        [Test]
        public void RequestSendsARawRequest()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            using (ClarifaiResponse r = client.Request("GET", "/v2/inputs?per_page=1"))
            {
                Assert.AreEqual(10000, r.StatusCode);
                Assert.AreEqual("GET /v2/inputs", r.GetHeader(Route));
                Assert.IsNull(r.GetHeader("X-No-Such-Header"));
            }
        }

        [Test]
        public void PerRequestCredentialsShareThePoolAndOutliveTheOriginal()
        {
            ClarifaiClient pat = Emu.PatClient();
            ClarifaiClient key = pat.WithApiKey(Emu.ApiKey);
            ClarifaiClient back = key.WithPersonalAccessToken(Emu.Pat, Emu.UserId, Emu.AppId);
            pat.Dispose();
            using (key)
            using (back)
            {
                Assert.AreEqual(CredentialKind.ApiKey, key.CredentialKind);
                Assert.AreEqual("GET /v2/inputs", key.Call("ListInputs").GetHeader(Route));
                Assert.AreEqual(CredentialKind.PersonalAccessToken, back.CredentialKind);
                Assert.AreEqual(10000, back.Call("ListKeys").StatusCode);
            }
        }

        [Test]
        public void MyScopesDescribesTheAppKey()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                ClarifaiScopes scopes = client.MyScopes();
                Assert.IsNotNull(scopes.App);
                Assert.AreEqual(Emu.UserId, scopes.App.UserId);
                Assert.AreEqual(Emu.AppId, scopes.App.AppId);
                Assert.IsTrue(scopes.Scopes.Count > 0);
                Assert.IsTrue(scopes.Endpoints.Contains("/clarifai.api.V2/PostModelOutputs"));
                Assert.AreEqual(0, scopes.EndpointGrants.Count, "the demo key has no endpoint limit");
                // Either spelling, dependencies counted, asked of the library.
                Assert.IsTrue(scopes.Has("Inputs:Add"));
                Assert.IsTrue(scopes.Has("Inputs_Add"));
                Assert.IsFalse(scopes.Has("Inputs:Frobnicate"));
                scopes.Dispose();
                Assert.Throws<ObjectDisposedException>(() => scopes.Has("Inputs:Add"));
                Assert.IsTrue(scopes.Scopes.Count > 0, "the lists stay readable after Dispose");
            }
        }

        [Test]
        public void MyScopesOfALimitedKeyNamesGrantedScopesAndEndpoints()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            using (ClarifaiKey key = pat.CreateKey(Emu.AppId, "limited", new[] { "Inputs_Add" }, new[] { "PostInputs", "MyScopes" }))
            using (var client = new ClarifaiClient(key.Id, Emu.Options()))
            using (ClarifaiScopes scopes = client.MyScopes())
            {
                CollectionAssert.Contains(scopes.Granted, "Inputs:Add");
                CollectionAssert.DoesNotContain(scopes.Granted, "Models:Train");
                CollectionAssert.IsSubsetOf(new[] { "Inputs:Add", "Inputs:Get" }, scopes.Scopes, "the closure");
                CollectionAssert.AreEquivalent(new[] { "/clarifai.api.V2/PostInputs", "/clarifai.api.V2/MyScopes" }, scopes.EndpointGrants);
                Assert.IsTrue(scopes.Has("Inputs:Get"), "a dependency counts");
                Assert.IsFalse(scopes.Has("Models:Train"));
                Assert.AreEqual(0, scopes.UnknownScopes.Count);
                pat.DeleteKey(key.Id);
            }
        }

        [Test]
        public void CanAllowsAndDeniesWithoutCalling()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                ClarifaiKey key = pat.CreateKey(Emu.AppId, "preflight", new[] { "Apps:Get", "Annotations:Get", "Concepts:Get", "Inputs:Get" });
                using (var client = new ClarifaiClient(key.Id, Emu.Options()))
                {
                    Preflight ok = client.Can("ListInputs");
                    Assert.IsTrue(ok.Allowed, ok.Reason);
                    Assert.AreEqual(0, ok.MissingScopes.Count);

                    Preflight denied = client.Can("PostInputs");
                    Assert.IsFalse(denied.Allowed);
                    Assert.IsFalse(denied.PatRequired);
                    CollectionAssert.Contains(denied.MissingScopes, "Inputs:Add");
                    StringAssert.Contains("Inputs:Add", denied.Reason);

                    Preflight pats = client.Can("ListKeys");
                    Assert.IsFalse(pats.Allowed);
                    Assert.IsTrue(pats.PatRequired);
                }
                pat.DeleteKey(key.Id);
            }
        }

        [Test]
        public void CanNamesAMissingEndpointGrant()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                ClarifaiKey key = pat.CreateKey(Emu.AppId, "one endpoint", new[] { "All" }, new[] { "ListInputs", "MyScopes" });
                using (var client = new ClarifaiClient(key.Id, Emu.Options()))
                {
                    Preflight denied = client.Can("PostInputs");
                    Assert.IsFalse(denied.Allowed);
                    Assert.AreEqual("/clarifai.api.V2/PostInputs", denied.MissingEndpoint);
                }
                // Without MyScopes the first check cannot learn the scopes: an error, not a denial.
                ClarifaiKey blind = pat.CreateKey(Emu.AppId, "no MyScopes", new[] { "All" }, new[] { "ListInputs" });
                using (var client = new ClarifaiClient(blind.Id, Emu.Options()))
                {
                    var e = Assert.Throws<MissingScopesException>(() => client.Can("PostInputs"));
                    Assert.AreEqual(11007, e.StatusCode);
                    Assert.AreEqual("/clarifai.api.V2/MyScopes", e.MissingEndpoint);
                }
            }
        }

        [Test]
        public void KeyManagementCreatesListsRotatesAndDeletes()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                ClarifaiKey created = pat.CreateKey(Emu.AppId, "lifecycle", new[] { "Inputs_Add", "Apps:Get", "Annotations:Get", "Concepts:Get" }, null, "me");
                Assert.AreEqual("lifecycle", created.Description);
                CollectionAssert.Contains(created.Scopes, "Inputs:Add");
                Assert.AreEqual(Emu.AppId, created.Apps.Single().AppId);
                StringAssert.DoesNotContain(created.Id, created.ToString(), "ToString shows only the key's tail");

                using (ClarifaiKeyList listed = pat.ListKeys())
                {
                    ClarifaiKey mine = listed.Single(k => k.Id == created.Id);
                    Assert.AreEqual("lifecycle", mine.Description);
                    CollectionAssert.AreEqual(created.Scopes, mine.Scopes);
                    listed.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => mine.Id.ToString(), "a listed key goes with its list");
                    Assert.AreEqual("lifecycle", mine.Description, "all but the id stays readable");
                }

                ClarifaiKey rotated = pat.RotateKey(created.Id);
                Assert.IsTrue(rotated.Id != created.Id, "rotation makes a new key");
                Assert.AreEqual("lifecycle", rotated.Description);
                CollectionAssert.AreEqual(created.Scopes, rotated.Scopes);
                IReadOnlyList<ClarifaiKey> keys = pat.ListKeys();
                Assert.IsFalse(keys.Any(k => k.Id == created.Id), "the old key is gone");
                Assert.IsTrue(keys.Any(k => k.Id == rotated.Id), "the new key is listed");

                using (var old = new ClarifaiClient(created.Id, Emu.Options()))
                    Assert.Throws<KeyNotFoundException>(() => old.Call("ListInputs"));
                using (var fresh = new ClarifaiClient(rotated.Id, Emu.Options()))
                    Assert.AreEqual(10000, fresh.Call("ListInputs").StatusCode);

                pat.DeleteKey(rotated.Id);
                Assert.IsFalse(pat.ListKeys().Any(k => k.Id == rotated.Id), "deleted");
                rotated.Dispose();
                Assert.Throws<ObjectDisposedException>(() => rotated.Id.ToString(), "Dispose frees (and wipes) the key");
                StringAssert.StartsWith("ClarifaiKey(", rotated.ToString());
            }
        }

        [Test]
        public void CreateAppThenUseItThroughUserAppId()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                string app = "csharp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                Assert.AreEqual(10000, pat.CreateApp(app, "made by the C# tests").StatusCode);
                string p = "{\"user_app_id\":{\"user_id\":\"" + Emu.UserId + "\",\"app_id\":\"" + app + "\"}}";
                Assert.AreEqual("GET /v2/users/" + Emu.UserId + "/apps/" + app + "/inputs", pat.Call("ListInputs", p).GetHeader(Route));
            }
        }

        [Test]
        public void GrpcMetadataIsTheKeyHeaderValue()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                string value = client.GrpcMetadata();
                Assert.IsTrue(value == "Key " + Emu.ApiKey, "metadata is \"Key <api key>\"");
            }
        }

        [Test]
        public void CallManyKeepsOrderAndFailsCallsAlone()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                IReadOnlyList<ClarifaiCallResult> results = client.CallMany(new[]
                {
                    new ClarifaiCall("ListInputs", "{\"per_page\":1}"),
                    new ClarifaiCall("NoSuchEndpoint"),
                    new ClarifaiCall("GetInputCount"),
                    new ClarifaiCall("ListDatasets"),
                });
                Assert.AreEqual(4, results.Count);
                Assert.IsTrue(results[0].Succeeded);
                Assert.AreEqual("GET /v2/inputs", results[0].Response.GetHeader(Route));
                Assert.IsInstanceOf<UnknownEndpointException>(results[1].Error);
                Assert.AreEqual(ClarifaiResult.UnknownEndpoint, ((ClarifaiException)results[1].Error).Result);
                Assert.AreEqual("GET /v2/inputs/status", results[2].GetResponse().GetHeader(Route));
                var throttled = (ThrottledException)results[3].Error;
                Assert.AreEqual("GET /v2/datasets", throttled.GetHeader(Route));
                Assert.Throws<ThrottledException>(() => results[3].GetResponse());
                Assert.AreEqual(0, client.CallMany(new ClarifaiCall[0]).Count);
            }
        }

        [Test]
        public void ClientWithoutCredentialSendsNoneAndItsViewsSendTheirs()
        {
            using (ClarifaiClient pool = ClarifaiClient.WithoutCredential(Emu.Options()))
            using (ClarifaiClient key = pool.WithApiKey(Emu.ApiKey))
            {
                Assert.AreEqual(CredentialKind.None, pool.CredentialKind);
                var e = Assert.Throws<InvalidRequestException>(() => pool.Call("ListInputs"));
                Assert.AreEqual(11102, e.StatusCode);
                Assert.AreEqual(10000, key.Call("ListInputs").StatusCode);
            }
        }

        [Test]
        public void CallManyAsyncKeepsOrderAndFailsCallsAlone()
        {
            using (ClarifaiClient client = Emu.AppKeyClient())
            {
                var t = client.CallManyAsync(new[] { new ClarifaiCall("GetInputCount"), new ClarifaiCall("ListDatasets"), new ClarifaiCall("ListInputs", "[1]") });
                Assert.IsTrue(t.Wait(TimeSpan.FromSeconds(10)));
                Assert.AreEqual("GET /v2/inputs/status", t.Result[0].GetResponse().GetHeader(Route));
                Assert.IsInstanceOf<ThrottledException>(t.Result[1].Error);
                Assert.IsInstanceOf<ClarifaiArgumentException>(t.Result[2].Error);
                Assert.AreEqual(0, client.CallManyAsync(new ClarifaiCall[0]).Result.Count);
            }
        }

        [Test]
        public void VersionMatchesTheAssembly()
        {
            Assert.AreEqual("0.1.0", ClarifaiClient.Version);
        }
    }
}
