"""Per-call latency of the official Python client (clarifai-grpc 12.6.0, its JSON channel):
V2Stub.ListInputs(per_page=1) against CLARIFAI_BENCH_URL with CLARIFAI_BENCH_KEY, N calls
(argv[1]) after a tenth as many warm-up calls. Prints a human line and an `@@` line for
scripts/bench. Run inside a venv that has clarifai-grpc. With `cold` for N it makes one call
and exits: scripts/bench times fresh processes.
"""

import os
import sys
import time

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2


def main():
    cold = len(sys.argv) > 1 and sys.argv[1] == "cold"
    n = 1 if cold else int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    stub = service_pb2_grpc.V2Stub(ClarifaiChannel.get_json_channel(base_url=os.environ["CLARIFAI_BENCH_URL"]))
    metadata = (("authorization", "Key " + os.environ["CLARIFAI_BENCH_KEY"]),)
    request = service_pb2.ListInputsRequest(per_page=1)

    def call():
        response = stub.ListInputs(request, metadata=metadata)
        if response.status.code != status_code_pb2.SUCCESS:
            raise SystemExit(f"ListInputs: status {response.status.code}")

    if cold:
        call()
        return
    for _ in range(max(1, n // 10)):
        call()
    samples = []
    start = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    samples.sort()
    median, p99 = samples[n // 2] * 1e6, samples[n * 99 // 100] * 1e6
    print(f"clarifai-grpc JSON channel: median {median:.1f} µs, p99 {p99:.1f} µs, {n / total:.0f} calls/s (N={n})")
    print(f"@@\tlatency\tpython-grpc-json\t{median:.2f}\t{p99:.2f}\t{n / total:.0f}\t{n}")


if __name__ == "__main__":
    main()
