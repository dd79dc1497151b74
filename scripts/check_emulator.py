"""Drive the emulator with the official clarifai-grpc package's JSON channel.

Usage: check_emulator.py PATH_TO_clarifai-emulator

Starts the emulator (it stops when our stdin pipe closes, or when we kill it), reads its
JSON line, then calls ListInputs, PostInputs, PostModelOutputs and MyScopes with the PAT
(user_app_id set) and with the app key, expects 11007 from a scope-limited key and 11009
from an unknown key; then goes through the calls of the docs' examples that carry concepts,
metadata and searches: inputs with concepts and metadata, PATCH merge / remove, concepts and
concept search, models (create, merge, train, output info, search), predict with output
settings, input and annotation searches, workflows and keys.
Prints 'N passed, N failed'; exits non-zero on any failure.
"""

import json
import subprocess
import sys
import traceback
import urllib.request

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2
from google.protobuf import struct_pb2

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
                assert len(concepts) == 20 and 0 < concepts[0].value <= 1, r

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

        for name, fn in docs_examples(stub, pat, own_app, details):
            check(name, fn)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def docs_examples(stub, pat, app, details):
    """The docs' calls that carry concepts, metadata and searches, with the PAT and user_app_id."""

    def ok(response):
        assert response.status.code == status_code_pb2.SUCCESS, response.status
        return response

    def concept(id_, value=1.0, name=""):
        return resources_pb2.Concept(id=id_, name=name, value=value)

    def metadata(**kv):
        s = struct_pb2.Struct()
        s.update(kv)
        return s

    def image(url):
        return resources_pb2.Data(image=resources_pb2.Image(url=url))

    dog = "https://samples.clarifai.com/dog2.jpeg"

    def post_inputs_with_concepts_and_metadata():
        data = image(dog)
        data.concepts.extend([concept("pet"), concept("indoor", 0.0)])
        data.metadata.CopyFrom(metadata(kind="dog"))
        train = image(IMAGE_URL)
        train.metadata.CopyFrom(metadata(kind="train"))
        ok(stub.PostInputs(service_pb2.PostInputsRequest(
            user_app_id=app, inputs=[resources_pb2.Input(id="dog", data=data), resources_pb2.Input(id="metro", data=train)]), metadata=pat))
        r = ok(stub.GetInput(service_pb2.GetInputRequest(user_app_id=app, input_id="dog"), metadata=pat))
        assert [(c.id, c.value) for c in r.input.data.concepts] == [("pet", 1.0), ("indoor", 0.0)], r.input.data.concepts
        assert r.input.data.metadata["kind"] == "dog", r.input.data.metadata

    def patch_inputs_merge_and_remove():
        data = resources_pb2.Data(concepts=[concept("animal"), concept("indoor", 1.0)])
        r = ok(stub.PatchInputs(service_pb2.PatchInputsRequest(
            user_app_id=app, action="merge", inputs=[resources_pb2.Input(id="dog", data=data)]), metadata=pat))
        assert [(c.id, c.value) for c in r.inputs[0].data.concepts] == [("pet", 1.0), ("indoor", 1.0), ("animal", 1.0)], r.inputs
        r = ok(stub.PatchInputs(service_pb2.PatchInputsRequest(
            user_app_id=app, action="remove", inputs=[resources_pb2.Input(id="dog", data=resources_pb2.Data(concepts=[concept("animal")]))]), metadata=pat))
        assert [c.id for c in r.inputs[0].data.concepts] == ["pet", "indoor"], r.inputs
        assert r.inputs[0].data.image.url == dog

    def concepts_and_concept_search():
        ok(stub.PostConcepts(service_pb2.PostConceptsRequest(user_app_id=app, concepts=[concept("cat", name="Cat")]), metadata=pat))
        r = ok(stub.ListConcepts(service_pb2.ListConceptsRequest(user_app_id=app), metadata=pat))
        assert {"cat", "pet", "indoor"} <= {c.id for c in r.concepts}, r.concepts
        r = ok(stub.PostConceptsSearches(service_pb2.PostConceptsSearchesRequest(
            user_app_id=app, concept_query=resources_pb2.ConceptQuery(name="ca*")), metadata=pat))
        assert [c.name for c in r.concepts][:2] == ["Cat", "cat"], r.concepts

    def models_create_merge_train_output_info():
        info = resources_pb2.OutputInfo(data=resources_pb2.Data(concepts=[concept("pet")]))
        ok(stub.PostModels(service_pb2.PostModelsRequest(
            user_app_id=app, models=[resources_pb2.Model(id="pets", output_info=info)]), metadata=pat))
        more = resources_pb2.OutputInfo(data=resources_pb2.Data(concepts=[concept("cat")]))
        r = ok(stub.PatchModels(service_pb2.PatchModelsRequest(
            user_app_id=app, action="merge", models=[resources_pb2.Model(id="pets", output_info=more)]), metadata=pat))
        assert [c.id for c in r.models[0].output_info.data.concepts] == ["pet", "cat"], r.models
        r = ok(stub.PostModelVersions(service_pb2.PostModelVersionsRequest(user_app_id=app, model_id="pets"), metadata=pat))
        version = r.model.model_version.id
        assert version and r.model.model_version.status.code == status_code_pb2.MODEL_QUEUED_FOR_TRAINING, r.model
        r = ok(stub.GetModelVersion(service_pb2.GetModelVersionRequest(user_app_id=app, model_id="pets", version_id=version), metadata=pat))
        assert r.model_version.status.code == status_code_pb2.MODEL_TRAINED, r.model_version
        r = ok(stub.GetModelOutputInfo(service_pb2.GetModelRequest(user_app_id=app, model_id="pets"), metadata=pat))
        assert [c.name for c in r.model.output_info.data.concepts] == ["pet", "Cat"], r.model.output_info
        assert r.model.model_version.id == version
        r = ok(stub.PostModelsSearches(service_pb2.PostModelsSearchesRequest(
            user_app_id=app, model_query=resources_pb2.ModelQuery(name="pe*")), metadata=pat))
        assert [m.id for m in r.models] == ["pets"], r.models

    def predict_with_output_config():
        public = resources_pb2.UserAppIDSet(user_id="clarifai", app_id="main")

        def predict(**config):
            model = resources_pb2.Model(output_info=resources_pb2.OutputInfo(output_config=resources_pb2.OutputConfig(**config)))
            return ok(stub.PostModelOutputs(service_pb2.PostModelOutputsRequest(
                user_app_id=public, model_id="general-image-recognition", model=model,
                inputs=[resources_pb2.Input(data=image(IMAGE_URL))]), metadata=pat))

        everything = predict(max_concepts=25).outputs[0].data.concepts
        assert len(everything) == 25
        assert [c.id for c in predict(max_concepts=3).outputs[0].data.concepts] == [c.id for c in everything[:3]]
        assert len(predict(min_value=everything[4].value).outputs[0].data.concepts) == 5
        selected = predict(select_concepts=[resources_pb2.Concept(name="train")]).outputs[0]
        assert [c.name for c in selected.data.concepts] == ["train"], selected.data.concepts
        assert selected.data.concepts[0].app_id == "main" and selected.model.name == "general", selected.model
        r = stub.PostModelOutputs(service_pb2.PostModelOutputsRequest(
            user_app_id=app, model_id="no-such-model", inputs=[resources_pb2.Input(data=image(IMAGE_URL))]), metadata=pat)
        assert r.status.code == status_code_pb2.MODEL_DOES_NOT_EXIST, r.status

    def input_and_annotation_searches():
        def search(call, request_type, **query):
            r = ok(call(request_type(user_app_id=app, searches=[resources_pb2.Search(query=resources_pb2.Query(**query))]), metadata=pat))
            return [h.input.id for h in r.hits], r

        by_concept = resources_pb2.Filter(annotation=resources_pb2.Annotation(data=resources_pb2.Data(concepts=[concept("pet")])))
        assert search(stub.PostInputsSearches, service_pb2.PostInputsSearchesRequest, filters=[by_concept])[0] == ["dog"]
        by_meta = resources_pb2.Filter(annotation=resources_pb2.Annotation(data=resources_pb2.Data(metadata=metadata(kind="train"))))
        assert search(stub.PostInputsSearches, service_pb2.PostInputsSearchesRequest, filters=[by_meta])[0] == ["metro"]
        by_image = resources_pb2.Rank(annotation=resources_pb2.Annotation(data=image(IMAGE_URL)))
        ids, r = search(stub.PostInputsSearches, service_pb2.PostInputsSearchesRequest, ranks=[by_image])
        # Every input of the metro image (the first checks posted some too) scores 1, the dog less.
        assert ids[-1] == "dog" and "metro" in ids and r.hits[0].score == 1.0 and 0 < r.hits[-1].score < 1, r.hits
        ids, r = search(stub.PostAnnotationsSearches, service_pb2.PostAnnotationsSearchesRequest, filters=[by_concept])
        assert ids == ["dog"] and r.hits[0].annotation.input_id == "dog", r.hits

    def workflows_results():
        node = resources_pb2.WorkflowNode(id="concepts", model=resources_pb2.Model(id="pets"))
        ok(stub.PostWorkflows(service_pb2.PostWorkflowsRequest(
            user_app_id=app, workflows=[resources_pb2.Workflow(id="wf", nodes=[node])]), metadata=pat))
        r = ok(stub.PostWorkflowResults(service_pb2.PostWorkflowResultsRequest(
            user_app_id=app, workflow_id="wf", inputs=[resources_pb2.Input(data=image(dog))]), metadata=pat))
        assert sorted(c.name for c in r.results[0].outputs[0].data.concepts) == ["Cat", "pet"], r.results
        r = stub.PostWorkflowResults(service_pb2.PostWorkflowResultsRequest(
            user_app_id=app, workflow_id="missing", inputs=[resources_pb2.Input(data=image(dog))]), metadata=pat)
        assert r.status.code == status_code_pb2.WORKFLOW_DOES_NOT_EXIST, r.status

    def keys():
        r = ok(stub.ListAppKeys(service_pb2.ListAppKeysRequest(user_app_id=app), metadata=pat))
        assert details["api_key"] in [k.id for k in r.keys], r.keys
        new = resources_pb2.Key(description="ci", scopes=["Predict"], apps=[resources_pb2.App(id=app.app_id, user_id=app.user_id)])
        r = ok(stub.PostKeys(service_pb2.PostKeysRequest(user_app_id=resources_pb2.UserAppIDSet(user_id=app.user_id), keys=[new]), metadata=pat))
        created = r.keys[0].id
        r = ok(stub.ListAppKeys(service_pb2.ListAppKeysRequest(user_app_id=app), metadata=pat))
        assert created in [k.id for k in r.keys], r.keys

    return [
        ("PostInputs with concepts and metadata; values read back as floats", post_inputs_with_concepts_and_metadata),
        ("PatchInputs merge and remove", patch_inputs_merge_and_remove),
        ("PostConcepts, ListConcepts, PostConceptsSearches", concepts_and_concept_search),
        ("PostModels, PatchModels merge, PostModelVersions, GetModelOutputInfo, PostModelsSearches", models_create_merge_train_output_info),
        ("PostModelOutputs with output_config; unknown model 21200", predict_with_output_config),
        ("PostInputsSearches and PostAnnotationsSearches", input_and_annotation_searches),
        ("PostWorkflows and PostWorkflowResults", workflows_results),
        ("ListAppKeys and PostKeys", keys),
    ]


if __name__ == "__main__":
    sys.exit(main())
