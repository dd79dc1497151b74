using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Linq;
using System.Text;
using System.Web.Script.Serialization;
using Clarifai.API;
using NUnit.Framework;

namespace Clarifai.API.Tests
{
    /// <summary>
    /// A clarifai-emulator process: started with its arguments, its one JSON line read, stopped by
    /// closing its standard input (--exit-on-stdin-eof).
    /// </summary>
    internal sealed class Emulator : IDisposable
    {
        private readonly Process process;

        public string Url { get; private set; }
        public string UserId { get; private set; }
        public string AppId { get; private set; }
        public string Pat { get; private set; }
        public string ApiKey { get; private set; }
        public string AdminToken { get; private set; }

        private Emulator(Process process, Dictionary<string, object> details)
        {
            this.process = process;
            Url = (string)details["url"];
            UserId = (string)details["user_id"];
            AppId = (string)details["app_id"];
            Pat = (string)details["pat"];
            ApiKey = (string)details["api_key"];
            AdminToken = (string)details["admin_token"];
        }

        public static string RepoRoot
        {
            get { return Require("CLARIFAI_REPO_ROOT"); }
        }

        public static string Require(string name)
        {
            string v = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(v))
                throw new InvalidOperationException(name + " is not set; run the suite through bindings/csharp/run-tests");
            return v;
        }

        public static Emulator Start(IEnumerable<string> args)
        {
            var all = new List<string> { "--listen", "127.0.0.1:0", "--exit-on-stdin-eof" };
            all.AddRange(args);
            var psi = new ProcessStartInfo(Require("CLARIFAI_EMULATOR"), string.Join(" ", all.ConvertAll(Quote)))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoRoot,
            };
            var p = Process.Start(psi);
            // Drain stderr so a chatty emulator never blocks on a full pipe; keep it for a failed start.
            var stderr = new StringBuilder();
            p.ErrorDataReceived += (s, e) => { lock (stderr) stderr.AppendLine(e.Data); };
            p.BeginErrorReadLine();
            string line = p.StandardOutput.ReadLine();
            if (line == null)
            {
                p.WaitForExit(5000);
                lock (stderr)
                    throw new InvalidOperationException("the emulator exited before printing its details: " + stderr);
            }
            return new Emulator(p, Json.Object(line));
        }

        private static string Quote(string a)
        {
            return "\"" + a.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        public ClarifaiClientOptions Options(uint retries = 0)
        {
            return new ClarifaiClientOptions { BaseUrl = Url, MaxRetries = retries };
        }

        public ClarifaiClient AppKeyClient()
        {
            return new ClarifaiClient(ApiKey, Options());
        }

        public ClarifaiClient PatClient()
        {
            return ClarifaiClient.WithPat(Pat, UserId, AppId, Options());
        }

        /// <summary>An admin request (faults, request log); returns the body.</summary>
        public string Admin(string method, string path, string body = null)
        {
            var req = (HttpWebRequest)WebRequest.Create(Url + "/_emulator" + path);
            req.Method = method;
            req.Headers["X-Emulator-Admin-Token"] = AdminToken;
            if (body != null)
            {
                byte[] b = Encoding.UTF8.GetBytes(body);
                req.ContentType = "application/json";
                using (Stream s = req.GetRequestStream())
                    s.Write(b, 0, b.Length);
            }
            using (var resp = (HttpWebResponse)req.GetResponse())
            using (var reader = new StreamReader(resp.GetResponseStream()))
                return reader.ReadToEnd();
        }

        /// <summary>Adds fault rules (TARGET=ACTION[,times=N]) to the running emulator.</summary>
        public void AddFaults(params string[] specs)
        {
            Admin("POST", "/faults", Json.Write(new Dictionary<string, object> { { "specs", specs } }));
        }

        public void ClearRequests()
        {
            Admin("DELETE", "/requests");
        }

        /// <summary>The request log (GET /_emulator/requests), oldest first.</summary>
        public List<Dictionary<string, object>> Requests()
        {
            return Json.List(Json.Object(Admin("GET", "/requests"))["requests"]).Cast<Dictionary<string, object>>().ToList();
        }

        /// <summary>Polls the request log until <paramref name="match"/> holds for a request, or the time is up.</summary>
        public Dictionary<string, object> WaitForRequest(Func<Dictionary<string, object>, bool> match, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (true)
            {
                var found = Requests().FirstOrDefault(match);
                if (found != null || DateTime.UtcNow > deadline)
                    return found;
                System.Threading.Thread.Sleep(20);
            }
        }

        public void Dispose()
        {
            try
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(5000))
                    process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
    }

    /// <summary>JSON for the tests, with what Mono ships (System.Web.Extensions).</summary>
    internal static class Json
    {
        private static readonly JavaScriptSerializer Serializer = new JavaScriptSerializer { MaxJsonLength = int.MaxValue };

        public static object Parse(string text)
        {
            return Serializer.DeserializeObject(text);
        }

        public static Dictionary<string, object> Object(string text)
        {
            return (Dictionary<string, object>)Parse(text);
        }

        public static string Write(object value)
        {
            return Serializer.Serialize(value);
        }

        public static List<object> List(object array)
        {
            return array == null ? new List<object>() : ((IEnumerable<object>)array).ToList();
        }

        public static List<string> Strings(object array)
        {
            return List(array).Cast<string>().ToList();
        }
    }

    /// <summary>The emulator every fixture but the conformance vectors shares.</summary>
    [SetUpFixture]
    public class Suite
    {
        internal static Emulator Emu;

        // Faults for the paths the tests exercise: a throttled route, a 50 ms route for the
        // concurrency figures, a slow route for timeouts and cancellation, and two routes that
        // echo the Authorization header back (the redaction tests).
        internal static readonly string[] Faults =
        {
            "--fault", "ListDatasets=throttle:7",
            "--fault", "PostModelOutputs=delay:50",
            "--fault", "ListWorkflows=delay:3000",
            "--fault", "ListConcepts=echo",
            "--fault", "ListModels=echo:401",
        };

        [SetUp]
        public void StartEmulator()
        {
            Emu = Emulator.Start(Faults);
        }

        [TearDown]
        public void StopEmulator()
        {
            if (Emu != null)
                Emu.Dispose();
            Emu = null;
        }
    }
}
