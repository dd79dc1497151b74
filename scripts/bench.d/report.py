"""Turn scripts/bench's collected `@@` lines into the table it prints and docs/benchmarks.md.

    report.py RESULTS_TSV META_TSV MARKDOWN_OUT

RESULTS_TSV holds the `@@` lines the bench programs printed (without the `@@`), plus lines the
script adds itself (`cold`, `size`, `throughput`); META_TSV holds `key<TAB>value` facts about
the run (command, date, machine). Prints plain text to stdout and writes the Markdown.
"""

import statistics
import sys
from collections import defaultdict

# Every per-call client: id -> (name, language, id of its peer or None, ours?)
CLIENTS = [
    ("floor", "raw TCP ping-pong (same request bytes)", "Rust", None, False),
    ("rust-core", "clarifai-core Client::call", "Rust", "rust-reqwest", True),
    ("rust-reqwest", "reqwest::blocking", "Rust", None, False),
    ("c-abi", "clarifai_client_call (C ABI)", "C", "c-libcurl", True),
    ("c-libcurl", "libcurl, reused easy handle", "C", None, False),
    ("php-ffi", "ClarifaiClient::call (FFI)", "PHP", "php-curl", True),
    ("php-curl", "ext-curl, reused handle", "PHP", None, False),
    ("csharp-binding", "ClarifaiClient.Call (P/Invoke)", "C#", "csharp-httpclient", True),
    ("csharp-httpclient", "HttpClient (one instance)", "C#", None, False),
    ("objc-binding", "ClarifaiApp callEndpoint:", "Objective-C", "objc-nsurlconnection", True),
    ("objc-nsurlconnection", "NSURLConnection sendSynchronousRequest:", "Objective-C", None, False),
    ("python-grpc-json", "clarifai-grpc 12.6.0 JSON channel", "Python", None, False),
]
PYTHON = "python-grpc-json"

WALLS = [
    ("rust-call_many", "Rust Client::call_many"),
    ("c-call_many", "C clarifai_client_call_many"),
    ("c-call_async", "C clarifai_client_call_async"),
    ("php-callMany", "PHP callMany"),
    ("csharp-CallAsync", "C# CallAsync (Task.WaitAll)"),
    ("objc-callMany", "Objective-C callMany:"),
]

COLD = [
    ("rust", "Rust (static, Client::builder + call)"),
    ("c", "C (dynamic libclarifai.so.0)"),
    ("php", "PHP (FFI::cdef + client + call)"),
    ("csharp", "C# (mono startup + P/Invoke)"),
    ("objc", "Objective-C (GNUstep + library)"),
    ("python", "Python clarifai-grpc (peer: import + stub + call)"),
]


def combine(rounds):
    """One client's figures over its rounds: the median of the rounds' own median, p99 and
    calls/s, so that one round caught in a slow spell of the machine moves none of them."""
    return {"median": statistics.median(r["median"] for r in rounds),
            "p99": statistics.median(r["p99"] for r in rounds),
            "rate": statistics.median(r["rate"] for r in rounds),
            "n": sum(r["n"] for r in rounds), "rounds": len(rounds)}


def read(path):
    latency, walls, cold, threads, other = defaultdict(list), {}, {}, {}, defaultdict(list)
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "latency":
            latency[f[1]].append({"median": float(f[2]), "p99": float(f[3]), "rate": float(f[4]), "n": int(f[5])})
        elif f[0] == "wall":
            walls[f[1]] = float(f[2])
        elif f[0] == "cold":
            cold[f[1]] = float(f[2])
        elif f[0] == "threads":
            threads[int(f[1])] = float(f[2])
        else:
            other[f[0]] = f[1:]
    return {k: combine(v) for k, v in latency.items()}, walls, cold, threads, other


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def main():
    results, meta_path, md_path = sys.argv[1:4]
    latency, walls, cold, threads, other = read(results)
    meta = dict(line.rstrip("\n").split("\t", 1) for line in open(meta_path, encoding="utf-8") if "\t" in line)
    floor = latency.get("floor")
    python = latency.get(PYTHON)

    rows = []
    for cid, name, lang, peer, ours in CLIENTS:
        r = latency.get(cid)
        if r is None:
            rows.append([name, lang, "missing", "", "", "", "", ""])
            continue
        vs_floor = r["median"] / floor["median"] if floor else None
        vs_peer = r["rate"] / latency[peer]["rate"] if ours and peer in latency else None
        vs_python = r["rate"] / python["rate"] if ours and python else None
        rows.append([
            name + ("" if r["n"] == latency.get("floor", r)["n"] else f" (N={r['n']})"),
            lang,
            fmt(r["median"]),
            fmt(r["p99"]),
            fmt(r["rate"], 0),
            fmt(vs_floor, 2) + "×",
            (fmt(vs_peer, 2) + "×") if vs_peer else ("peer" if not ours and cid not in ("floor", PYTHON) else ""),
            (fmt(vs_python, 1) + "×") if vs_python else ("peer" if cid == PYTHON else ""),
        ])
    head = ["client", "language", "median µs", "p99 µs", "calls/s", "× floor (median)", "× peer (calls/s)",
            "× Python (calls/s)"]

    # Targets: (what, measured, pass?)
    targets = []

    def target(what, measured, ok):
        targets.append((what, measured, "pass" if ok else "FAIL"))

    def have(*ids):
        return all(i in latency for i in ids)

    if have("rust-core", "floor"):
        x = latency["rust-core"]["median"] / floor["median"]
        target("core blocking call ≤ 1.5× the floor (median)", f"{x:.2f}×", x <= 1.5)
    if have("c-abi", "rust-core"):
        d = latency["c-abi"]["median"] - latency["rust-core"]["median"]
        target("C ABI adds ≤ 2 µs over Rust (median)", f"{d:+.1f} µs", d <= 2)
    if have("php-ffi", "php-curl"):
        x = latency["php-ffi"]["rate"] / latency["php-curl"]["rate"]
        target("PHP ≥ 1.25× ext-curl throughput", f"{x:.2f}×", x >= 1.25)
    if have("csharp-binding", "csharp-httpclient"):
        x = latency["csharp-binding"]["rate"] / latency["csharp-httpclient"]["rate"]
        target("C# ≥ 1.5× HttpClient throughput", f"{x:.2f}×", x >= 1.5)
    if python:
        ours = [(c[0], c[2]) for c in CLIENTS if c[4] and c[0] in latency]
        worst = min(ours, key=lambda o: latency[o[0]]["rate"])
        x = latency[worst[0]]["rate"] / python["rate"]
        target("every front end ≥ 25× the official Python client's throughput",
               f"lowest {x:.1f}× ({worst[1]})", x >= 25)
    if walls:
        worst = max(walls, key=walls.get)
        target("100 concurrent 50 ms calls < 150 ms, every front end",
               f"slowest {walls[worst]:.1f} ms ({dict(WALLS).get(worst, worst)})",
               walls[worst] < 150 and len(walls) == len(WALLS))
    if "rss" in other:
        first, last, calls = (int(v) for v in other["rss"])
        growth = last - first
        label = f"{growth / 1024:+,.0f} KiB over {calls:,} calls"
        target("C ABI RSS growth over 1M calls < 1 MB" + ("" if calls >= 1_000_000 else f" (run with {calls:,})"),
               label, growth < 1 << 20)
    if "preflight" in other:
        ns = float(other["preflight"][0])
        target("preflight from cached scopes ≤ 100 ns", f"{ns:.0f} ns/op", ns <= 100)
    if "throughput" in other:
        rps = float(other["throughput"][0])
        target("emulator ≥ 30k requests/s", f"{rps:,.0f} req/s", rps >= 30_000)

    text, md = [], []

    def table(header, body, align=None):
        widths = [max(len(str(r[i])) for r in [header] + body) for i in range(len(header))]
        text.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
        for r in body:
            text.append("  ".join(str(c).rjust(w) if i >= 2 else str(c).ljust(w)
                                  for i, (c, w) in enumerate(zip(r, widths))))
        text.append("")
        md.append("| " + " | ".join(header) + " |")
        md.append("|" + "|".join(align or ["---"] * len(header)) + "|")
        for r in body:
            md.append("| " + " | ".join(str(c) for c in r) + " |")
        md.append("")

    def section(title, note=None):
        text.append(f"== {title}")
        md.append(f"## {title}")
        md.append("")
        if note:
            text.append(note)
            md.append(note)
            md.append("")

    md += ["# Benchmarks", "",
           "Measured by `scripts/bench` in one run: every client against one minimal keep-alive loopback HTTP "
           "server (scripts/bench.d/server.c, an epoll loop answering every request with "
           "`{\"status\":{\"code\":10000,\"description\":\"Ok\"},\"inputs\":[]}`), one after another, each doing "
           "the same authorized `GET /v2/inputs?per_page=1`.", "",
           f"- command: `{meta.get('command', '')}`",
           f"- date: {meta.get('date', '')}",
           f"- machine: {meta.get('nproc', '?')} CPUs, {meta.get('cpu', '?')}, kernel {meta.get('kernel', '?')}",
           f"- load (uptime) at start: {meta.get('load_start', '?')}; at end: {meta.get('load_end', '?')}",
           f"- {meta.get('versions', '')}"]
    if meta.get("pinning"):
        md.append(f"- pinning: {meta['pinning']}")
    md.append("")

    section("Targets")
    table(["target", "measured", "result"], [list(t) for t in targets], ["---", "---:", ":---:"])

    section("Per call, one thread, keep-alive",
            f"N={meta.get('n', '?')} timed calls per client (Python: N/10), in {meta.get('rounds', '1')} rounds: "
            "each round runs every client in turn for its share after its own warm-up, the order reversed "
            "every other round. Median, p99 and calls/s are each the median of the rounds' own (a round's "
            "calls/s is its calls over their time). "
            "× floor: median over the raw TCP floor's median. × peer: our calls/s over the same language's "
            "plain HTTP client's calls/s. × Python: our calls/s over the official Python client's.")
    table(head, rows, ["---", "---", "---:", "---:", "---:", "---:", "---:", "---:"])

    section("100 concurrent calls to a route delayed 50 ms",
            "The emulator with `--fault ListInputs=delay:50`; wall time of 100 concurrent ListInputs, "
            "median of 5 runs after one warm-up round (sequentially: 5000 ms).")
    table(["front end", "wall ms"], [[name, fmt(walls.get(i))] for i, name in WALLS], ["---", "---:"])

    section("One C client shared by threads",
            "One clarifai_client, T threads calling ListInputs in a loop against the minimal server "
            f"(on {meta.get('nproc', '?')} CPUs, which the server shares).")
    table(["threads", "total calls/s"], [[t, fmt(threads[t], 0)] for t in sorted(threads)], ["---:", "---:"])

    section("Cold start",
            "A fresh process that loads the library, creates a client and makes its first call: median wall "
            "time of 20 runs (process start-up included).")
    table(["front end", "median ms"], [[name, fmt(cold.get(i), 2)] for i, name in COLD], ["---", "---:"])

    section("Memory and size")
    misc = []
    if "rss" in other:
        first, last, calls = (int(v) for v in other["rss"])
        misc.append(["C ABI RSS after 1,000 calls", f"{first / 1024:,.0f} KiB"])
        misc.append([f"C ABI RSS after {calls:,} calls", f"{last / 1024:,.0f} KiB ({(last - first) / 1024:+,.0f} KiB)"])
    if "size" in other:
        misc.append(["libclarifai.so, stripped", f"{int(other['size'][0]):,} bytes"])
        misc.append(["libclarifai.so, as built (debug=1)", f"{int(other['size'][1]):,} bytes"])
    if "preflight" in other:
        misc.append(["preflight (check_cached)", f"{float(other['preflight'][0]):.1f} ns/op"])
    if "throughput" in other:
        misc.append(["emulator throughput", f"{float(other['throughput'][0]):,.0f} requests/s ({other['throughput'][1]})"])
    table(["what", "value"], misc, ["---", "---:"])

    print("\n".join(text))
    with open(md_path, "w", encoding="utf-8") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
