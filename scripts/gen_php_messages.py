"""Write the message schema of the PHP binding's gRPC form from a pinned clarifai-grpc.

The V2 service's RPCs, every message reachable from their requests and responses (resources,
status, the well-known types they use) and every enum those messages use, as compact
language-neutral facts: field names, numbers, types, labels, oneofs, and Clarifai's JSON field
options (cl_show_if_empty, cl_default_float). bindings/php/bin/gen-messages turns it into the
Clarifai\\Api\\ classes; both outputs are committed, so neither the build nor the tests need
Python or a network.

Run through scripts/gen-php-messages, which installs the pinned packages into a throwaway venv:

    python gen_php_messages.py OUT.json
"""
import json
import sys

import google.protobuf
from google.protobuf import descriptor as d

from clarifai_grpc import __version__ as grpc_version
from clarifai_grpc.grpc.api import service_pb2
from clarifai_grpc.grpc.api.utils import extensions_pb2

TYPE_NAMES = {
    d.FieldDescriptor.TYPE_DOUBLE: "double",
    d.FieldDescriptor.TYPE_FLOAT: "float",
    d.FieldDescriptor.TYPE_INT64: "int64",
    d.FieldDescriptor.TYPE_UINT64: "uint64",
    d.FieldDescriptor.TYPE_INT32: "int32",
    d.FieldDescriptor.TYPE_FIXED64: "fixed64",
    d.FieldDescriptor.TYPE_FIXED32: "fixed32",
    d.FieldDescriptor.TYPE_BOOL: "bool",
    d.FieldDescriptor.TYPE_STRING: "string",
    d.FieldDescriptor.TYPE_BYTES: "bytes",
    d.FieldDescriptor.TYPE_UINT32: "uint32",
    d.FieldDescriptor.TYPE_SFIXED32: "sfixed32",
    d.FieldDescriptor.TYPE_SFIXED64: "sfixed64",
    d.FieldDescriptor.TYPE_SINT32: "sint32",
    d.FieldDescriptor.TYPE_SINT64: "sint64",
    d.FieldDescriptor.TYPE_MESSAGE: "message",
    d.FieldDescriptor.TYPE_ENUM: "enum",
}


def repeated(field):
    # protobuf 6 deprecates `label` in favour of `is_repeated`; older releases only have `label`.
    if hasattr(type(field), "is_repeated"):
        return field.is_repeated
    return field.label == d.FieldDescriptor.LABEL_REPEATED


def is_map(field):
    return (repeated(field)
            and field.message_type is not None
            and field.message_type.GetOptions().map_entry)


def type_of(field):
    out = {"type": TYPE_NAMES[field.type]}
    if field.message_type is not None:
        out["type_name"] = field.message_type.full_name
    elif field.enum_type is not None:
        out["type_name"] = field.enum_type.full_name
    return out


def reachable():
    """Every message reachable from the V2 service, and every enum their fields use."""
    service = service_pb2.DESCRIPTOR.services_by_name["V2"]
    messages, enums = {}, {}

    def walk(message):
        if message.full_name in messages:
            return
        messages[message.full_name] = message
        for field in message.fields:
            if field.message_type is not None:
                walk(field.message_type)
            if field.enum_type is not None:
                enums[field.enum_type.full_name] = field.enum_type

    for method in service.methods:
        walk(method.input_type)
        walk(method.output_type)
    return service, messages, enums


def field_entry(field):
    opts = field.GetOptions()
    out = {"name": field.name, "number": field.number}
    if is_map(field):
        entry = field.message_type
        key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
        out["type"] = "map"
        out["key"] = TYPE_NAMES[key.type]
        out["value"] = type_of(value)
    else:
        out.update(type_of(field))
        if repeated(field):
            out["repeated"] = True
    oneof = field.containing_oneof
    if oneof is not None:
        out["oneof"] = oneof.name
        # proto3 `optional` is a oneof of one field that the language does not show.
        if getattr(oneof, "is_synthetic", False) or (len(oneof.fields) == 1 and oneof.name == "_" + field.name):
            out["optional"] = True
    if opts.Extensions[extensions_pb2.cl_show_if_empty]:
        out["show_if_empty"] = True
    if opts.Extensions[extensions_pb2.cl_default_float]:
        out["default_float"] = opts.Extensions[extensions_pb2.cl_default_float]
    if opts.deprecated:
        out["deprecated"] = True
    return out


def message_entry(message):
    out = {"name": message.full_name, "package": message.file.package, "file": message.file.name}
    if message.containing_type is not None:
        out["parent"] = message.containing_type.full_name
    if message.GetOptions().map_entry:
        out["map_entry"] = True
    out["fields"] = [field_entry(f) for f in message.fields]
    return out


def enum_entry(enum):
    out = {"name": enum.full_name, "package": enum.file.package, "file": enum.file.name}
    if enum.containing_type is not None:
        out["parent"] = enum.containing_type.full_name
    out["values"] = [[v.name, v.number] for v in enum.values]
    return out


def main(path):
    service, messages, enums = reachable()
    rpcs = []
    for method in service.methods:
        rpc = {"name": method.name, "input": method.input_type.full_name, "output": method.output_type.full_name}
        if method.client_streaming:
            rpc["client_streaming"] = True
        if method.server_streaming:
            rpc["server_streaming"] = True
        rpcs.append(rpc)
    doc = {
        "source": "clarifai-grpc %s (PyPI), service clarifai.api.V2" % grpc_version,
        "protobuf": google.protobuf.__version__,
        "generated_by": "scripts/gen-php-messages",
        "service": "clarifai.api.V2",
        "rpcs": rpcs,
        "messages": [message_entry(m) for _, m in sorted(messages.items()) if not m.GetOptions().map_entry],
        "enums": [enum_entry(e) for _, e in sorted(enums.items())],
    }
    with open(path, "w") as f:
        # One message or enum per line: compact, yet a regeneration shows as a readable diff.
        f.write("{\n")
        head = ["source", "protobuf", "generated_by", "service"]
        for key in head:
            f.write(" %s: %s,\n" % (json.dumps(key), json.dumps(doc[key])))
        for key in ("rpcs", "messages", "enums"):
            f.write(" %s: [\n" % json.dumps(key))
            items = doc[key]
            for i, item in enumerate(items):
                f.write("  %s%s\n" % (json.dumps(item, separators=(",", ":")), "," if i + 1 < len(items) else ""))
            f.write(" ]%s\n" % ("," if key != "enums" else ""))
        f.write("}\n")
    print("%s: %d RPCs, %d messages, %d enums" % (path, len(rpcs), len(doc["messages"]), len(doc["enums"])))


if __name__ == "__main__":
    main(sys.argv[1])
