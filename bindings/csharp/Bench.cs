// Benchmark (not a test), run by `run-tests bench` against an emulator started with
// --fault PostModelOutputs=delay:50:
//  1. per-call latency of Call("ListInputs", {"per_page":1}) against Mono's HttpClient (one reused
//     instance) doing the same authorized GET, N calls after a warm-up;
//  2. wall time of 100 concurrent CallAsync against the 50 ms route.
// Prints figures only, never the key.
//
// scripts/bench runs it with CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY (instead of the emulator's
// details file) against a server of its own, CLARIFAI_BENCH_N calls, and CLARIFAI_BENCH_PART
// `latency` or `many` to run one part (`many` delays ListInputs there, so part 2 calls that: the
// first burst, then the median of CLARIFAI_BENCH_RUNS more; CLARIFAI_BENCH_CA_FILE is the CA of
// an https server),
// or `cold` to make one call and exit (the script times fresh processes);
// the figures then also come as tab-separated `@@` lines for the script.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Clarifai.API;

internal static class Bench
{
    private const int Warmup = 2000;
    private static int N = 20000;
    private const string Predict = "{\"model_id\":\"general-image-recognition\",\"inputs\":[{\"data\":{\"image\":{\"url\":\"https://samples.clarifai.com/metro-north.jpg\"}}}]}";

    private static int Main(string[] args)
    {
        string url = Environment.GetEnvironmentVariable("CLARIFAI_BENCH_URL");
        string key = Environment.GetEnvironmentVariable("CLARIFAI_BENCH_KEY");
        bool external = url != null && key != null;
        string part = Environment.GetEnvironmentVariable("CLARIFAI_BENCH_PART") ?? "all";
        string delayed = "PostModelOutputs", delayedParams = Predict;
        if (external)
        {
            delayed = "ListInputs";
            delayedParams = "{\"per_page\":1}";
            int n;
            if (int.TryParse(Environment.GetEnvironmentVariable("CLARIFAI_BENCH_N"), out n) && n > 0)
                N = n;
        }
        else
        {
            string details = File.ReadAllText(args[0]);
            url = Field(details, "url");
            key = Field(details, "api_key");
        }

        string caFile = Environment.GetEnvironmentVariable("CLARIFAI_BENCH_CA_FILE");
        if (string.IsNullOrEmpty(caFile))
            caFile = null;
        int runs;
        if (!int.TryParse(Environment.GetEnvironmentVariable("CLARIFAI_BENCH_RUNS"), out runs) || runs < 1)
            runs = 5;

        using (var client = new ClarifaiClient(key, new ClarifaiClientOptions { BaseUrl = url, MaxRetries = 0, CaFile = caFile }))
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Key " + key);
            string get = url + "/v2/inputs?per_page=1";

            if (part == "cold")
            {
                using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                    return r.StatusCode == 10000 ? 0 : 1;
            }
            if (part != "many")
            {
                double[] binding = Measure(() =>
                {
                    using (ClarifaiResponse r = client.Call("ListInputs", "{\"per_page\":1}"))
                        if (r.StatusCode != 10000) throw new Exception("unexpected status");
                });
                double[] httpClient = Measure(() =>
                {
                    using (HttpResponseMessage r = http.GetAsync(get).Result)
                    {
                        string body = r.Content.ReadAsStringAsync().Result;
                        if (!r.IsSuccessStatusCode || body.Length == 0) throw new Exception("unexpected status");
                    }
                });
                Report("Clarifai.API Call", binding);
                Report("HttpClient GET   ", httpClient);
                Console.WriteLine("speed-up (median): {0:F2}x, (calls/s): {1:F2}x",
                    Percentile(httpClient, 50) / Percentile(binding, 50), httpClient.Sum() / binding.Sum());
                if (external)
                {
                    Machine("csharp-binding", binding);
                    Machine("csharp-httpclient", httpClient);
                }
            }
            if (part == "latency")
                return 0;

            // The first burst is the client's first: it opens the connections (cold); the rest
            // are warm.
            var walls = new double[runs + 1];
            for (int run = 0; run < walls.Length; run++)
            {
                var sw = Stopwatch.StartNew();
                Task<ClarifaiResponse>[] tasks = Enumerable.Range(0, 100).Select(_ => client.CallAsync(delayed, delayedParams)).ToArray();
                Task.WaitAll(tasks);
                walls[run] = sw.Elapsed.TotalMilliseconds;
                foreach (Task<ClarifaiResponse> t in tasks)
                    t.Result.Dispose();
            }
            double cold = walls[0];
            double[] warm = walls.Skip(1).OrderBy(w => w).ToArray();
            Console.WriteLine("100 concurrent CallAsync, 50 ms route: cold {0:F1} ms, warm median {1:F1} ms (runs: {2})",
                cold, warm[warm.Length / 2], string.Join(", ", warm.Select(w => w.ToString("F1"))));
            if (external)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "@@\twall\tcsharp-CallAsync\t{0:F1}\t{1:F1}", warm[warm.Length / 2], cold));
        }
        return 0;
    }

    private static double[] Measure(Action call)
    {
        for (int i = 0; i < Warmup; i++)
            call();
        var micros = new double[N];
        double tick = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < N; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            micros[i] = (Stopwatch.GetTimestamp() - t0) * tick;
        }
        return micros;
    }

    private static void Report(string name, double[] micros)
    {
        Console.WriteLine("{0}: median {1:F1} µs, p99 {2:F1} µs, {3:F0} calls/s (N={4})",
            name, Percentile(micros, 50), Percentile(micros, 99), micros.Length / (micros.Sum() / 1e6), micros.Length);
    }

    private static void Machine(string id, double[] micros)
    {
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "@@\tlatency\t{0}\t{1:F2}\t{2:F2}\t{3:F0}\t{4}",
            id, Percentile(micros, 50), Percentile(micros, 99), micros.Length / (micros.Sum() / 1e6), micros.Length));
    }

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)(p / 100 * sorted.Length))];
    }

    private static string Field(string json, string name)
    {
        Match m = Regex.Match(json, "\"" + name + "\"\\s*:\\s*\"([^\"]*)\"");
        if (!m.Success) throw new Exception("no " + name + " in the emulator's details");
        return m.Groups[1].Value;
    }
}
