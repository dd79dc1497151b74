"""Write the V2 endpoint catalogue from the compiled descriptors of a pinned clarifai-grpc.

Run through scripts/gen-catalog, which installs the pinned package into a throwaway venv.
The outputs (src/catalog/catalog.json, the endpoints; src/scope/scopes.json, the scope table)
are committed; nothing at build time needs Python.
"""
import json
import sys

from clarifai_grpc import __version__ as grpc_version
from clarifai_grpc.grpc.api import service_pb2
from clarifai_grpc.grpc.auth.scope import scope_pb2
from clarifai_grpc.grpc.auth.types import types_pb2

HTTP_VERBS = ("get", "post", "patch", "put", "delete")


def docs_spelling(proto_name):
    # The proto enum can't hold a colon; the docs and the API's messages use one.
    return proto_name.replace("_", ":", 1)


def options_of(descriptor):
    return {field.name: value for field, value in descriptor.GetOptions().ListFields()}


def scopes():
    by_number = {v.number: v.name for v in scope_pb2.S.DESCRIPTOR.values}
    out = []
    for value in scope_pb2.S.DESCRIPTOR.values:
        if value.number == 0:
            continue  # "undef" is the proto's zero value, not a scope
        opts = options_of(value)
        out.append({
            "name": docs_spelling(value.name),
            "proto_name": value.name,
            "number": value.number,
            "depends_on": [docs_spelling(by_number[n]) for n in opts.get("clarifai_depending_scopes", [])],
            "deprecated": bool(opts.get("deprecated", False)),
            "exposed": bool(opts.get("clarfai_exposed", False)),
        })
    return out


def bindings_of(rule):
    out = []
    for r in [rule] + list(rule.additional_bindings):
        verb = r.WhichOneof("pattern")
        if verb not in HTTP_VERBS:
            raise SystemExit("unexpected http pattern %r" % verb)
        out.append({"method": verb.upper(), "path": getattr(r, verb), "body": r.body == "*"})
    return out


def endpoints():
    auth_names = {v.number: v.name for v in types_pb2.AuthType.DESCRIPTOR.values}
    scope_names = {v.number: docs_spelling(v.name) for v in scope_pb2.S.DESCRIPTOR.values}
    service = service_pb2.DESCRIPTOR.services_by_name["V2"]
    out = []
    for method in service.methods:
        opts = options_of(method)
        if "http" not in opts:
            raise SystemExit("%s has no google.api.http option" % method.name)
        out.append({
            "name": method.name,
            "auth_type": auth_names[opts.get("cl_auth_type", 0)],
            "depending_scopes": [scope_names[n] for n in opts.get("cl_depending_scopes", [])],
            "streaming": bool(method.client_streaming or method.server_streaming),
            "bindings": bindings_of(opts["http"]),
        })
    return out


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")


def main(catalog_path, scopes_path):
    eps = endpoints()
    source = "clarifai-grpc %s (PyPI), service clarifai.api.V2" % grpc_version
    table = scopes()
    # The scope table is its own file: the catalogue refers to scopes, never the other way.
    write(scopes_path, {"source": source, "generated_by": "scripts/gen-catalog", "scopes": table})
    doc = {
        "source": source,
        "generated_by": "scripts/gen-catalog",
        "service": "clarifai.api.V2",
        "rpc_count": len(eps),
        "binding_count": sum(len(e["bindings"]) for e in eps),
        "endpoints": eps,
    }
    write(catalog_path, doc)
    print("%s: %d RPCs, %d bindings; %s: %d scopes" % (catalog_path, doc["rpc_count"], doc["binding_count"], scopes_path, len(table)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
