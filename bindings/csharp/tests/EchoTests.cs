using System;
using System.Collections.Generic;
using System.Linq;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// A server that echoes the Authorization header back (the emulator's echo fault: in the
    /// status description and details, an x-echo header and an echo member): every accessor of
    /// the response, and of the exception for echo:401, shows it redacted (#19.2).
    /// </summary>
    [TestFixture]
    public class EchoTests
    {
        private static Emulator Emu { get { return Suite.Emu; } }

        private static IEnumerable<string> Accessors(ClarifaiResponse r)
        {
            return new[] { r.Description, r.Details, r.ReqId, r.Json, r.ToString(), r.GetHeader("x-echo"), r.GetHeader("X-Echo") }
                .Concat(SecretTests.Visible(r, 2));
        }

        private static void Redacted(IEnumerable<string> texts, string secret, string what)
        {
            var all = texts.Where(t => t != null).ToList();
            SecretTests.AssertNoSecret(all, what, secret);
            // The echo is there, with the key taken out: the test would see a leak.
            Assert.IsTrue(all.Any(t => t.Contains("Key ")), what + ": the server's echo is not in the accessors at all");
        }

        [Test]
        public void AnEchoedKeyIsRedactedInTheResponse()
        {
            foreach (string key in new[] { SecretTests.Canary, Emu.ApiKey })
            {
                using (var client = new ClarifaiClient(key, Emu.Options()))
                using (ClarifaiResponse r = client.Call("ListConcepts"))
                {
                    Assert.AreEqual(10000, r.StatusCode);
                    StringAssert.StartsWith("echo of Key ", r.Description);
                    Assert.IsNotNull(r.GetHeader("x-echo"), "the echo header came back");
                    StringAssert.Contains("\"echo\"", r.Json);
                    Redacted(Accessors(r), key, "the response");
                }
            }
        }

        [Test]
        public void AnEchoedPatIsRedactedInTheResponseOfEveryCallKind()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            {
                Redacted(Accessors(pat.Call("ListConcepts")), Emu.Pat, "a blocking call");
                Redacted(Accessors(pat.CallAsync("ListConcepts").Result), Emu.Pat, "an async call");
                Redacted(Accessors(pat.CallMany(new[] { new ClarifaiCall("ListConcepts") })[0].GetResponse()), Emu.Pat, "a batch");
                Redacted(Accessors(pat.CallManyAsync(new[] { new ClarifaiCall("ListConcepts") }).Result[0].GetResponse()), Emu.Pat, "an async batch");
            }
        }

        [Test]
        public void AnEchoedKeyIsRedactedInTheException()
        {
            foreach (string key in new[] { SecretTests.Canary, Emu.ApiKey })
            {
                using (var client = new ClarifaiClient(key, Emu.Options()))
                {
                    var e = Assert.Throws<KeyNotFoundException>(() => client.Call("ListModels"));
                    Assert.AreEqual(401, e.HttpStatus);
                    StringAssert.StartsWith("echo of Key ", e.Description);
                    Assert.IsNotNull(e.GetHeader("x-echo"));
                    Redacted(SecretTests.Texts(e).Concat(new[] { e.Description, e.Details, e.ReqId, e.GetHeader("x-echo") }), key, "the exception");

                    var async = Assert.Throws<AggregateException>(() => client.CallAsync("ListModels").Wait());
                    Redacted(SecretTests.Texts(async), key, "the async exception");
                    Redacted(SecretTests.Texts(client.CallMany(new[] { new ClarifaiCall("ListModels") })[0].Error), key, "the batch's exception");
                }
            }
        }
    }
}
