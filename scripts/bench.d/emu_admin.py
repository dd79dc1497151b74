"""What the emulator saw, for scripts/bench: connections opened and bytes sent.

    emu_admin.py DETAILS mark
        clears the request log; prints the connection counter (this very request included)
    emu_admin.py DETAILS connections ID MARK BURST
        after a program made bursts of BURST concurrent ListInputs (the first from a fresh
        client, the rest warm), prints `conns ID cold warm total h2 requests`: the connections
        the program opened (the counter now, less MARK, less this request's own), those first
        used by a warm burst (the most any one opened), and how many of its requests were HTTP/2
    emu_admin.py DETAILS wire
        prints `wire body_bytes gzipped http_version` of the last ListInputs with per_page=1000

DETAILS is the file holding the emulator's JSON line (url, admin_token, ca_file). Each request
here is one fresh connection (urllib keeps none alive), which `connections` subtracts.
"""

import json
import ssl
import sys
import urllib.request


def admin(details, method, route):
    req = urllib.request.Request(details["url"] + "/_emulator" + route, method=method,
                                 headers={"X-Emulator-Admin-Token": details["admin_token"]})
    ctx = ssl.create_default_context(cafile=details["ca_file"]) if details.get("ca_file") else None
    with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
        return json.load(r)


def main():
    details = json.loads(open(sys.argv[1], encoding="utf-8").readline())
    what = sys.argv[2]
    if what == "mark":
        admin(details, "DELETE", "/requests")
        print(admin(details, "GET", "/connections")["connections"])
    elif what == "connections":
        ident, mark, burst = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        now = admin(details, "GET", "/connections")["connections"]
        log = admin(details, "GET", "/requests")["requests"]
        total = now - mark - 1
        calls = [r for r in log if r["endpoint"] == "ListInputs" and r["connection"] > mark]
        seen, warm = set(), 0
        for i in range(0, len(calls), burst):
            used = {r["connection"] for r in calls[i:i + burst]}
            if i > 0:
                warm = max(warm, len(used - seen))
            seen |= used
        # Connections that carried none of the requests (a connect that lost a race) count
        # against the cold burst: only a fresh client opens more than it uses.
        cold = total - len(seen) + len({r["connection"] for r in calls[:burst]})
        h2 = sum(r["http_version"] == "HTTP/2" for r in calls)
        print(f"conns\t{ident}\t{cold}\t{warm}\t{total}\t{h2}\t{len(calls)}")
    elif what == "wire":
        log = admin(details, "GET", "/requests")["requests"]
        last = [r for r in log if r["endpoint"] == "ListInputs" and "per_page=1000" in r["query"]][-1]
        print(f"wire\t{last['body_bytes']}\t{int(last['gzipped'])}\t{last['http_version']}")
    else:
        sys.exit(f"emu_admin.py: unknown command {what}")


if __name__ == "__main__":
    main()
