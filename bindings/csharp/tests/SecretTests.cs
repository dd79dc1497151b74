using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// No secret in anything a failure or an object shows (#19): exception messages, ToString,
    /// Data, properties and headers; ToString and the debugger's view of clients, options and
    /// keys (a key's id is the secret).
    /// </summary>
    [TestFixture]
    public class SecretTests
    {
        internal const string Canary = "canary-0123456789abcdef-CANARY";
        private static Emulator Emu { get { return Suite.Emu; } }

        /// <summary>Every text an exception shows, its inner exceptions' included.</summary>
        internal static IEnumerable<string> Texts(Exception e)
        {
            for (; e != null; e = e.InnerException)
            {
                yield return e.Message;
                yield return e.ToString();
                yield return e.StackTrace;
                foreach (DictionaryEntry d in e.Data)
                {
                    yield return Convert.ToString(d.Key);
                    yield return Convert.ToString(d.Value);
                }
                foreach (string s in Visible(e, 2))
                    yield return s;
                var ce = e as ClarifaiException;
                if (ce != null)
                    // The emulator's route header echoes the request path, which for DeleteKey and
                    // RotateKey holds the key id: the library redacts it there too.
                    foreach (string h in new[] { "x-echo", "authorization", "www-authenticate", "x-clarifai-emulator-route" })
                        yield return ce.GetHeader(h);
                var ae = e as AggregateException;
                if (ae != null)
                    foreach (Exception inner in ae.InnerExceptions)
                        foreach (string s in Texts(inner))
                            yield return s;
            }
        }

        /// <summary>
        /// What a debugger shows of an object: its fields and properties (public or not) that are
        /// not [DebuggerBrowsable(Never)], as text, <paramref name="depth"/> levels down.
        /// </summary>
        internal static IEnumerable<string> Visible(object o, int depth)
        {
            if (o == null)
                yield break;
            yield return o.ToString();
            // A [DebuggerDisplay] evaluates ToString() or members; both are covered here.
            if (depth == 0 || o is string || o.GetType().IsPrimitive || o is IntPtr)
                yield break;
            const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            var members = new List<KeyValuePair<MemberInfo, Func<object>>>();
            for (Type t = o.GetType(); t != null && t.Namespace == "Clarifai.API"; t = t.BaseType)
            {
                foreach (FieldInfo f in t.GetFields(all | BindingFlags.DeclaredOnly))
                    members.Add(new KeyValuePair<MemberInfo, Func<object>>(f, () => f.GetValue(o)));
                foreach (PropertyInfo p in t.GetProperties(all | BindingFlags.DeclaredOnly).Where(p => p.GetIndexParameters().Length == 0))
                    members.Add(new KeyValuePair<MemberInfo, Func<object>>(p, () => p.GetValue(o, null)));
            }
            foreach (var m in members)
            {
                var browsable = (DebuggerBrowsableAttribute)m.Key.GetCustomAttributes(typeof(DebuggerBrowsableAttribute), true).FirstOrDefault();
                // Auto-properties keep their value in a compiler field: hidden with the property.
                string backing = m.Key.Name.StartsWith("<") ? m.Key.Name.Substring(1, m.Key.Name.IndexOf('>') - 1) : null;
                if (backing != null)
                {
                    var prop = o.GetType().GetProperty(backing, all);
                    if (prop != null)
                        browsable = (DebuggerBrowsableAttribute)prop.GetCustomAttributes(typeof(DebuggerBrowsableAttribute), true).FirstOrDefault();
                }
                if (browsable != null && browsable.State == DebuggerBrowsableState.Never)
                    continue;
                object value;
                try
                {
                    value = m.Value();
                }
                catch (TargetInvocationException)
                {
                    continue; // a disposed object's property: the debugger shows the exception
                }
                var list = value as IEnumerable;
                if (list != null && !(value is string))
                {
                    foreach (object item in list)
                        foreach (string s in Visible(item, depth - 1))
                            yield return s;
                }
                else
                {
                    foreach (string s in Visible(value, depth - 1))
                        yield return s;
                }
            }
        }

        internal static void AssertNoSecret(IEnumerable<string> texts, string what, params string[] secrets)
        {
            foreach (string text in texts)
            {
                if (text == null)
                    continue;
                foreach (string secret in secrets.Concat(new[] { Canary }))
                    Assert.IsFalse(text.Contains(secret), what + " shows a secret");
            }
        }

        private static void NoSecretIn(Exception e, string what)
        {
            Assert.IsNotNull(e, what + ": no exception");
            AssertNoSecret(Texts(e), what, Emu.ApiKey, Emu.Pat);
        }

        private static Exception Catch(Action a)
        {
            try
            {
                a();
            }
            catch (Exception e)
            {
                return e;
            }
            return null;
        }

        [Test]
        public void NoFailurePathShowsTheKey()
        {
            var o = Emu.Options();
            using (var client = new ClarifaiClient(Canary, o))
            {
                NoSecretIn(Catch(() => client.Call("ListInputs")), "KeyNotFound");
                NoSecretIn(Catch(() => client.CallAsync("ListInputs").Wait()), "KeyNotFound (async)");
                NoSecretIn(client.CallMany(new[] { new ClarifaiCall("ListInputs") })[0].Error, "KeyNotFound (batch)");
                NoSecretIn(client.CallManyAsync(new[] { new ClarifaiCall("ListInputs") }).Result[0].Error, "KeyNotFound (async batch)");
                NoSecretIn(Catch(() => client.Can("PostInputs")), "preflight without scopes");
                NoSecretIn(Catch(() => client.MyScopes()), "MyScopes");
                NoSecretIn(Catch(() => client.Request("GET", "/v2/inputs")), "raw request");
                NoSecretIn(Catch(() => client.Call("ListWorkflows", null, new ClarifaiCallOptions { Timeout = TimeSpan.FromMilliseconds(100) })), "timeout");
                using (var cts = new CancellationTokenSource(100))
                    NoSecretIn(Catch(() => client.Call("ListWorkflows", null, cts.Token)), "cancelled");
                AssertNoSecret(Visible(client, 3), "the client");
            }
            NoSecretIn(Catch(() => new ClarifaiClient(Canary + " ", o)), "malformed key");
            NoSecretIn(Catch(() => new ClarifaiClient(Canary + "\u00e9", o)), "non-ASCII key");
            NoSecretIn(Catch(() => ClarifaiClient.WithPat(Canary, Emu.UserId, Emu.AppId, o).Call("ListInputs")), "unknown PAT");
            NoSecretIn(Catch(() => ClarifaiClient.WithPat(Canary, "", Emu.AppId, o)), "PAT without a user");
            using (ClarifaiClient app = Emu.AppKeyClient())
            using (ClarifaiClient view = app.WithApiKey(Canary))
                NoSecretIn(Catch(() => view.Call("ListInputs")), "per-request key");
            using (ClarifaiClient pat = Emu.PatClient())
            {
                NoSecretIn(Catch(() => pat.DeleteKey(Canary)), "DeleteKey");
                NoSecretIn(Catch(() => pat.RotateKey(Canary)), "RotateKey");
                NoSecretIn(Catch(() => pat.WithApiKey(Canary + "\n")), "per-request malformed key");
            }
            using (var dead = new ClarifaiClient(Canary, new ClarifaiClientOptions { BaseUrl = "http://127.0.0.1:1", MaxRetries = 0 }))
                NoSecretIn(Catch(() => dead.Call("ListInputs")), "refused connection");
            using (var tls = new ClarifaiClient(Canary, new ClarifaiClientOptions { BaseUrl = Emu.Url.Replace("http://", "https://"), MaxRetries = 0 }))
                NoSecretIn(Catch(() => tls.Call("ListInputs")), "TLS to a plain server");
            Environment.SetEnvironmentVariable("CLARIFAI_API_KEY", Canary + " x");
            try
            {
                NoSecretIn(Catch(() => ClarifaiClient.FromEnvironment(o)), "a malformed key from the environment");
            }
            finally
            {
                Environment.SetEnvironmentVariable("CLARIFAI_API_KEY", null);
            }
        }

        [Test]
        public void AProxyPasswordShowsNowhere()
        {
            var dead = new ClarifaiClientOptions { BaseUrl = Emu.Url, MaxRetries = 0, Proxy = "http://user:" + Canary + "@127.0.0.1:1" };
            using (var client = new ClarifaiClient(Emu.ApiKey, dead))
                NoSecretIn(Catch(() => client.Call("ListInputs")), "a dead proxy");
            NoSecretIn(Catch(() => new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = Emu.Url, Proxy = "http://user:" + Canary + "@" })), "a proxy URL without a host");
            NoSecretIn(Catch(() => new ClarifaiClient(Emu.ApiKey, new ClarifaiClientOptions { BaseUrl = Emu.Url, Proxy = "ftp://user:" + Canary + "@proxy:21" })), "a proxy URL of the wrong scheme");
            AssertNoSecret(Visible(dead, 2), "the options");
        }

        [Test]
        public void KeysShowOnlyTheirTail()
        {
            using (ClarifaiClient pat = Emu.PatClient())
            using (ClarifaiKey created = pat.CreateKey(Emu.AppId, "secret test", new[] { "Inputs:Get" }))
            {
                string id = created.Id;
                Assert.IsTrue(created.ToString().Contains(id.Substring(id.Length - 4)), "the tail identifies the key");
                AssertNoSecret(Visible(created, 3), "a created key", id);
                using (ClarifaiKeyList keys = pat.ListKeys())
                {
                    AssertNoSecret(Visible(keys, 3), "a key list", id, Emu.Pat);
                    AssertNoSecret(keys.Select(k => k.ToString()), "listed keys", id, Emu.Pat);
                }
                using (ClarifaiKey rotated = pat.RotateKey(id))
                {
                    AssertNoSecret(Visible(rotated, 3), "a rotated key", rotated.Id, id);
                    pat.DeleteKey(rotated.Id);
                }
                Assert.AreEqual(DebuggerBrowsableState.Never,
                    ((DebuggerBrowsableAttribute)typeof(ClarifaiKey).GetProperty("Id").GetCustomAttributes(typeof(DebuggerBrowsableAttribute), false).Single()).State);
            }
        }

        [Test]
        public void TheVisibilityCheckWouldSeeAKey()
        {
            // The checks above are only as good as Visible(): it must find a secret a field holds.
            var holder = new ClarifaiCall("ListInputs", Canary);
            Assert.IsTrue(Visible(holder, 2).Any(s => s != null && s.Contains(Canary)));
        }
    }
}
