"""Turn scripts/bench's collected `@@` lines into the table it prints and docs/benchmarks.md.

    report.py RESULTS_TSV META_TSV MARKDOWN_OUT

RESULTS_TSV holds the `@@` lines the bench programs printed (without the `@@`), plus lines the
script adds itself (`cold`, `size`, `throughput`, `conns`, `wire`); META_TSV holds
`key<TAB>value` facts about the run (command, date, machine). Prints plain text to stdout and
writes the Markdown.
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

# The 100-concurrent front ends; the last is the peer, not ours.
WALLS = [
    ("rust-call_many", "Rust Client::call_many"),
    ("c-call_many", "C clarifai_client_call_many"),
    ("c-call_async", "C clarifai_client_call_async"),
    ("php-callMany", "PHP callMany"),
    ("csharp-CallAsync", "C# CallAsync (Task.WaitAll)"),
    ("objc-callMany", "Objective-C callMany:"),
    ("c-libcurl-multi", "libcurl multi, HTTP/2 multiplexed (peer)"),
]
PEER_WALL = "c-libcurl-multi"

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
    r = {"latency": defaultdict(list), "wall": {}, "conns": {}, "cold": {}, "cold_c": {}, "cold_dns": {},
         "threads": {}, "upload_rss": {}, "other": {}}
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        kind = f[0]
        if kind == "latency":
            r["latency"][f[1]].append({"median": float(f[2]), "p99": float(f[3]), "rate": float(f[4]), "n": int(f[5])})
        elif kind == "wall":
            r["wall"][f[1]] = {"median": float(f[2]), "cold": float(f[3]) if len(f) > 3 else None}
        elif kind == "conns":
            r["conns"][f[1]] = {"cold": int(f[2]), "warm": int(f[3]), "total": int(f[4]), "h2": int(f[5]),
                                "requests": int(f[6])}
        elif kind == "cold":
            r["cold"][f[1]] = float(f[2])
        elif kind == "cold_c":
            r["cold_c"][f[1]] = {"ms": float(f[2]), "start": int(f[3]), "client": int(f[4]), "call": int(f[5])}
        elif kind == "cold_threads_dns":
            r["cold_dns"][f[1]] = {"start": int(f[2]), "client": int(f[3]), "call": int(f[4])}
        elif kind == "threads":
            r["threads"][int(f[1])] = float(f[2])
        elif kind == "upload_rss":
            r["upload_rss"][f[1]] = {"body": int(f[2]), "before": int(f[3]), "peak": int(f[4]), "answer": int(f[5])}
        else:
            r["other"][kind] = f[1:]
    r["latency"] = {k: combine(v) for k, v in r["latency"].items()}
    return r


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def kib(b):
    return f"{b / 1024:,.0f} KiB"


def main():
    results, meta_path, md_path = sys.argv[1:4]
    r = read(results)
    latency, walls, conns, other = r["latency"], r["wall"], r["conns"], r["other"]
    meta = dict(line.rstrip("\n").split("\t", 1) for line in open(meta_path, encoding="utf-8") if "\t" in line)
    floor = latency.get("floor")
    python = latency.get(PYTHON)

    # ------------------------------------------------------------------ targets (issue #14)
    targets = []

    def target(what, measured, ok):
        targets.append([what, measured, "—" if ok is None else "pass" if ok else "MISS"])

    def have(*ids):
        return all(i in latency for i in ids)

    if have("c-abi", "c-libcurl"):
        a, b = latency["c-abi"]["median"], latency["c-libcurl"]["median"]
        target("per call: C ABI median ≤ libcurl's (reused easy handle)", f"{a:.1f} vs {b:.1f} µs ({a / b:.2f}×)", a <= b)
    for ours, peer, lang, peer_name, want in [("php-ffi", "php-curl", "PHP", "ext-curl", 1.0),
                                              ("csharp-binding", "csharp-httpclient", "C#", "HttpClient", 2.0),
                                              ("objc-binding", "objc-nsurlconnection", "Objective-C", "NSURLConnection", 2.0),
                                              ("rust-core", "rust-reqwest", "Rust", "reqwest::blocking", 1.5)]:
        if have(ours, peer):
            x = latency[ours]["rate"] / latency[peer]["rate"]
            target(f"per call: {lang} ≥ {want:g}× {peer_name}'s calls/s", f"{x:.2f}×", x >= want)
    ours_walls = [i for i, _ in WALLS if i != PEER_WALL]
    if any(i in walls for i in ours_walls):
        got = [i for i in ours_walls if i in walls]
        worst = max(got, key=lambda i: walls[i]["median"])
        target("100 concurrent 50 ms calls over TLS + HTTP/2 < 70 ms, every front end (warm median)",
               f"slowest {walls[worst]['median']:.1f} ms ({dict(WALLS)[worst]})",
               walls[worst]["median"] < 70 and len(got) == len(ours_walls))
    if any(i in conns for i in ours_walls):
        got = [i for i in ours_walls if i in conns]
        cold = max(conns[i]["cold"] for i in got)
        warm = max(conns[i]["warm"] for i in got)
        h2 = all(conns[i]["h2"] == conns[i]["requests"] for i in got)
        target("… connections opened: ≤ 2 cold (fresh client), ≤ 1 warm, every front end",
               f"most {cold} cold, {warm} warm" + ("" if h2 else "; not all HTTP/2"),
               cold <= 2 and warm <= 1 and len(got) == len(ours_walls))
    if "wire" in other and "wire_text" in other:
        sent, text = int(other["wire"][0]), int(other["wire_text"][0])
        target("ListInputs of 1,000 inputs: bytes sent ≤ 25% of the uncompressed body",
               f"{sent:,} of {text:,} bytes ({sent / text:.1%})", sent <= 0.25 * text)
    up = r["upload_rss"]
    if "core" in up:
        u = up["core"]
        x = (u["peak"] - u["before"]) / u["body"]
        target("PostInputs, one 8 MiB image as base64: peak RSS growth ≤ 3× the request body",
               f"{x:.2f}× ({kib(u['peak'] - u['before'])} for {u['body']:,} bytes)", x <= 3)
    if "upload_wall" in other:
        core, peer = float(other["upload_wall"][0]), float(other["upload_wall"][1])
        target("… wall time ≤ 1.3× libcurl posting the same bytes", f"{core:.1f} vs {peer:.1f} ms ({core / peer:.2f}×)",
               core <= 1.3 * peer)
    cc = r["cold_c"]
    if "new" in cc and "old" in cc:
        x = cc["new"]["ms"] / cc["old"]["ms"]
        target("cold start, C, process start to first answer ≤ 1.2× today's (the library before reqwest)",
               f"{cc['new']['ms']:.2f} vs {cc['old']['ms']:.2f} ms ({x:.2f}×)", x <= 1.2)
    elif "new" in cc:
        target("cold start, C, process start to first answer ≤ 1.2× today's (the library before reqwest)",
               f"{cc['new']['ms']:.2f} ms; the older library was not given (CLARIFAI_BENCH_OLD_LIB_DIR): not judged",
               None)
    if "new" in cc:
        c = cc["new"]
        dns = r["cold_dns"].get("new")
        before = c["client"] - c["start"]
        after = c["call"] - c["start"]
        text = f"{before} before the first call, {after} after it (IP address)"
        if dns:
            text += f"; {dns['call'] - dns['start']} after it with `localhost` (a lookup)"
        target("threads: none before the first call, ≤ 2 plus DNS lookups after it", text, before == 0 and after <= 2)
    if "rss" in other:
        first, last, calls = (int(v) for v in other["rss"])
        growth = last - first
        target("unchanged: C ABI RSS growth over 1M calls < 1 MB" + ("" if calls >= 1_000_000 else f" (run with {calls:,})"),
               f"{growth / 1024:+,.0f} KiB over {calls:,} calls", growth < 1 << 20)
    if "preflight" in other:
        ns = float(other["preflight"][0])
        target("unchanged: preflight from cached scopes < 100 ns", f"{ns:.0f} ns/op", ns < 100)

    # ------------------------------------------------------------------ output
    text, md = [], []

    def table(header, body, align=None):
        align = align or ["---"] * len(header)
        right = [a.endswith(":") and not a.startswith(":") for a in align]
        widths = [max(len(str(row[i])) for row in [header] + body) for i in range(len(header))]
        text.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
        for row in body:
            text.append("  ".join(str(c).rjust(w) if right[i] else str(c).ljust(w)
                                  for i, (c, w) in enumerate(zip(row, widths))))
        text.append("")
        md.append("| " + " | ".join(header) + " |")
        md.append("|" + "|".join(align) + "|")
        for row in body:
            md.append("| " + " | ".join(str(c) for c in row) + " |")
        md.append("")

    def section(title, *notes):
        text.append(f"== {title}")
        md.append(f"## {title}")
        md.append("")
        for note in notes:
            text.append(note)
            md.append(note)
            md.append("")

    md += ["# Benchmarks", "",
           "Measured by `scripts/bench` in one run, every figure beside its peer's from the same run. Per call: "
           "every client against one minimal keep-alive loopback HTTP server (scripts/bench.d/server.c, an epoll "
           "loop answering every request with `{\"status\":{\"code\":10000,\"description\":\"Ok\"},\"inputs\":[]}`), "
           "one after another, each doing the same authorized `GET /v2/inputs?per_page=1`. Over a network: "
           "against the emulator serving TLS (h2 by ALPN) on loopback.", "",
           f"- command: `{meta.get('command', '')}`",
           f"- date: {meta.get('date', '')}",
           f"- machine: {meta.get('nproc', '?')} CPUs, {meta.get('cpu', '?')}, kernel {meta.get('kernel', '?')}",
           f"- load (uptime) at start: {meta.get('load_start', '?')}; at end: {meta.get('load_end', '?')}",
           f"- {meta.get('versions', '')}",
           f"- older library for the cold start: {meta.get('old_lib', 'not given (CLARIFAI_BENCH_OLD_LIB_DIR unset)')}"]
    if meta.get("pinning"):
        md.append(f"- pinning: {meta['pinning']}")
    md.append("")

    section("Targets (issue #14)")
    table(["target", "measured", "result"], targets, ["---", "---", ":---:"])

    # Per call
    rows = []
    for cid, name, lang, peer, ours in CLIENTS:
        x = latency.get(cid)
        if x is None:
            rows.append([name, lang, "missing", "", "", "", "", ""])
            continue
        vs_floor = x["median"] / floor["median"] if floor else None
        vs_peer = x["rate"] / latency[peer]["rate"] if ours and peer in latency else None
        vs_python = x["rate"] / python["rate"] if ours and python else None
        rows.append([
            name + ("" if floor is None or x["n"] == floor["n"] else f" (N={x['n']})"),
            lang,
            fmt(x["median"]),
            fmt(x["p99"]),
            fmt(x["rate"], 0),
            fmt(vs_floor, 2) + "×",
            (fmt(vs_peer, 2) + "×") if vs_peer else ("peer" if not ours and cid not in ("floor", PYTHON) else ""),
            (fmt(vs_python, 1) + "×") if vs_python else ("peer" if cid == PYTHON else ""),
        ])
    notes = [f"N={meta.get('n', '?')} timed calls per client (Python: N/10), in {meta.get('rounds', '1')} rounds: "
             "each round runs every client in turn for its share after its own warm-up, the order reversed "
             "every other round. Median, p99 and calls/s are each the median of the rounds' own (a round's "
             "calls/s is its calls over their time). "
             "× floor: median over the raw TCP floor's median. × peer: our calls/s over the same language's "
             "plain HTTP client's calls/s. × Python: our calls/s over the official Python client's."]
    if have("c-abi", "rust-core"):
        notes.append(f"The C ABI's median over the Rust core's: {latency['c-abi']['median'] - latency['rust-core']['median']:+.1f} µs.")
    section("Per call, one thread, keep-alive", *notes)
    table(["client", "language", "median µs", "p99 µs", "calls/s", "× floor (median)", "× peer (calls/s)",
           "× Python (calls/s)"], rows, ["---", "---", "---:", "---:", "---:", "---:", "---:", "---:"])

    # 100 concurrent
    rows = []
    for i, name in WALLS:
        w, c = walls.get(i), conns.get(i)
        rows.append([name,
                     fmt(w["median"]) if w else "missing",
                     fmt(w["cold"]) if w and w["cold"] is not None else "—",
                     str(c["cold"]) if c else "—",
                     str(c["warm"]) if c else "—",
                     f"{c['h2']}/{c['requests']}" if c else "—"])
    section("100 concurrent calls over TLS + HTTP/2 to a route delayed 50 ms",
            f"The emulator with `--tls --fault ListInputs=delay:50`; each front end's own batch or async API, "
            f"with the emulator's CA file set. Warm: the median wall time of {meta.get('runs', '5')} bursts of 100 "
            "concurrent ListInputs after the client's first burst (cold: that first burst, a fresh client). "
            "Connections: those the emulator accepted while the program ran (its counter, less our own "
            "admin requests); cold counts what the first burst opened, warm the most any later burst opened. "
            "Sequentially the 100 calls take 5,000 ms.")
    table(["front end", "warm ms", "cold ms", "connections cold", "connections warm", "HTTP/2 requests"], rows,
          ["---", "---:", "---:", "---:", "---:", "---:"])

    # Bytes and uploads
    section("Over the network: bytes and big uploads")
    rows = []
    if "wire" in other and "wire_text" in other:
        sent, gz, version = int(other["wire"][0]), other["wire"][1] == "1", other["wire"][2]
        textlen, count = int(other["wire_text"][0]), int(other["wire_text"][1])
        rows.append([f"ListInputs per_page=1000 ({count:,} inputs seeded): JSON text the C ABI got", f"{textlen:,} bytes"])
        rows.append([f"… body the emulator sent ({'gzip' if gz else 'identity'}, {version})",
                     f"{sent:,} bytes ({sent / textlen:.1%})"])
    for who, name in [("core", "C ABI"), ("curl", "libcurl (peer)")]:
        if who in up:
            u = up[who]
            rows.append([f"PostInputs, 8 MiB image as base64 ({u['body']:,}-byte body, {u['answer']:,}-byte answer): "
                         f"{name} peak RSS growth",
                         f"{kib(u['peak'] - u['before'])} ({(u['peak'] - u['before']) / u['body']:.2f}× the body)"])
    if "upload_wall" in other:
        core, peer, _, runs = other["upload_wall"]
        rows.append([f"… wall time, C ABI (median of {runs}, interleaved)", f"{float(core):.1f} ms"])
        rows.append([f"… wall time, libcurl, same URL and headers (median of {runs})",
                     f"{float(peer):.1f} ms ({float(core) / float(peer):.2f}× ours over it)"])
    table(["what", "value"], rows, ["---", "---:"])
    md.append("Peak RSS growth: VmHWM after the call (reset through /proc/self/clear_refs just before it) less "
              "VmRSS before it, in a fresh process that has made one small call and holds the params JSON "
              "already. The emulator answers PostInputs with the input it stored, base64 included, gzipped "
              "(the request accepts gzip), so each client also receives the 8 MiB back.")
    md.append("")

    # Cold start
    section("Cold start",
            f"A fresh process that loads the library, creates a client and makes its first call: median wall "
            f"time of {meta.get('cold_runs', '20')} runs (process start-up and exit included).")
    table(["front end", "median ms"], [[name, fmt(r["cold"].get(i), 2)] for i, name in COLD], ["---", "---:"])
    rows = []
    for side, name in [("new", "today's library"), ("old", "the library before reqwest")]:
        c = cc.get(side)
        if c:
            dns = r["cold_dns"].get(side)
            rows.append([name, fmt(c["ms"], 2), str(c["start"]), str(c["client"]), str(c["call"]),
                         str(dns["call"]) if dns else "—"])
    if "old" not in cc:
        rows.append(["the library before reqwest", "not measured: CLARIFAI_BENCH_OLD_LIB_DIR unset", "", "", "", ""])
    md.append("C, from before `posix_spawn` to the first answer (the program reads the clock then), the two "
              "libraries alternately; threads counted in /proc/self/task at start, with a client, and after the "
              "first call (to 127.0.0.1, and once more to `localhost`, whose lookup runs on a thread).")
    md.append("")
    text.append("C, process start to first answer, and threads")
    table(["library", "median ms", "threads at start", "with a client", "after the call", "after, via localhost"],
          rows, ["---", "---:", "---:", "---:", "---:", "---:"])

    section("One C client shared by threads",
            "One clarifai_client, T threads calling ListInputs in a loop against the minimal server "
            f"(on {meta.get('nproc', '?')} CPUs, which the server shares).")
    table(["threads", "total calls/s"], [[t, fmt(r["threads"][t], 0)] for t in sorted(r["threads"])], ["---:", "---:"])

    section("Memory and size")
    misc = []
    if "rss" in other:
        first, last, calls = (int(v) for v in other["rss"])
        misc.append(["C ABI RSS after 1,000 calls", kib(first)])
        misc.append([f"C ABI RSS after {calls:,} calls", f"{kib(last)} ({(last - first) / 1024:+,.0f} KiB)"])
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
