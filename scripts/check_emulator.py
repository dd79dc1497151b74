"""Drive the emulator with the official clarifai-grpc package's JSON channel.

Usage: check_emulator.py PATH_TO_clarifai-emulator

Starts the emulator (it stops when our stdin pipe closes, or when we kill it), reads its
JSON line, then calls ListInputs, PostInputs, PostModelOutputs and MyScopes with the PAT
(user_app_id set) and with the app key, expects 11007 from a scope-limited key and 11009
from an unknown key. Prints 'N passed, N failed'; exits non-zero on any failure.
"""

import json
import subprocess
import sys
import traceback
import urllib.request

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

IMAGE_URL = "https://samples.clarifai.com/metro-north.jpg"


def start(binary):
    proc = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise SystemExit("the emulator printed nothing")
    return proc, json.loads(line)


def admin(details, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(details["url"] + path, data=data, method=method)
    req.add_header("X-Emulator-Admin-Token", details["admin_token"])
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def main():
    proc, details = start(sys.argv[1])
    passed, failed = 0, 0

    def check(name, fn):
        nonlocal passed, failed
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()

    try:
        stub = service_pb2_grpc.V2Stub(ClarifaiChannel.get_json_channel(base_url=details["url"]))
        pat = (("authorization", "Key " + details["pat"]),)
        key = (("authorization", "Key " + details["api_key"]),)
        own_app = resources_pb2.UserAppIDSet(user_id=details["user_id"], app_id=details["app_id"])
        # The docs' predict examples name Clarifai's public app with a PAT.
        public_app = resources_pb2.UserAppIDSet(user_id="clarifai", app_id="main")

        def ok(response):
            assert response.status.code == status_code_pb2.SUCCESS, response.status

        def inputs():
            return [resources_pb2.Input(data=resources_pb2.Data(image=resources_pb2.Image(url=IMAGE_URL)))]

        for who, meta, uai in (("PAT", pat, own_app), ("app key", key, None)):
            extra = {"user_app_id": uai} if uai else {}

            def list_inputs(meta=meta, extra=extra):
                ok(stub.ListInputs(service_pb2.ListInputsRequest(per_page=1, **extra), metadata=meta))

            def post_inputs(meta=meta, extra=extra):
                r = stub.PostInputs(service_pb2.PostInputsRequest(inputs=inputs(), **extra), metadata=meta)
                ok(r)
                assert len(r.inputs) == 1 and r.inputs[0].id, r

            def predict(meta=meta, who=who):
                extra = {"user_app_id": public_app} if who == "PAT" else {}
                r = stub.PostModelOutputs(
                    service_pb2.PostModelOutputsRequest(model_id="general-image-recognition", inputs=inputs(), **extra),
                    metadata=meta,
                )
                ok(r)
                concepts = r.outputs[0].data.concepts
                assert len(concepts) == 5 and 0 < concepts[0].value <= 1, r

            def my_scopes(meta=meta, extra=extra):
                r = stub.MyScopes(service_pb2.MyScopesRequest(**extra), metadata=meta)
                ok(r)
                assert "All" in r.scopes and "Inputs:Add" in r.scopes, r.scopes
                assert r.app.id == details["app_id"] and r.app.user_id == details["user_id"], r.app
                assert "/clarifai.api.V2/PostModelOutputs" in r.endpoints

            check(f"ListInputs with the {who}", list_inputs)
            check(f"PostInputs with the {who}", post_inputs)
            check(f"PostModelOutputs with the {who}", predict)
            check(f"MyScopes with the {who}", my_scopes)

        def what_the_server_saw():
            seen = admin(details, "GET", "/_emulator/requests")["requests"]
            lists = [r for r in seen if r["endpoint"] == "ListInputs"]
            assert [r["credential"] for r in lists] == ["pat", "api_key"], lists
            assert "per_page=1" in lists[1]["query"] and lists[1]["path"] == "/v2/inputs", lists[1]
            assert lists[0]["path"] == f"/v2/users/{details['user_id']}/apps/{details['app_id']}/inputs", lists[0]

        check("the emulator saw the JSON channel's paths and query strings", what_the_server_saw)

        def insufficient_scopes():
            limited = admin(details, "POST", "/_emulator/keys",
                            {"scopes": ["Inputs:Get", "Apps:Get", "Annotations:Get", "Concepts:Get"]})["token"]
            meta = (("authorization", "Key " + limited),)
            ok(stub.ListInputs(service_pb2.ListInputsRequest(per_page=1), metadata=meta))
            r = stub.PostInputs(service_pb2.PostInputsRequest(inputs=inputs()), metadata=meta)
            assert r.status.code == status_code_pb2.CONN_INSUFFICIENT_SCOPES, r.status
            assert "Inputs:Add" in r.status.details, r.status

        def unknown_key():
            meta = (("authorization", "Key 0123456789abcdef0123456789abcdef"),)
            r = stub.ListInputs(service_pb2.ListInputsRequest(), metadata=meta)
            assert r.status.code == status_code_pb2.CONN_KEY_NOT_FOUND, r.status

        check("a scope-limited key gets 11007", insufficient_scopes)
        check("an unknown key gets 11009", unknown_key)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
