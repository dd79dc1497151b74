/* clarifai-core from C: an authorized predict call, a missing-scopes error, and cleanup.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs clarifai) -o quickstart
 *   CLARIFAI_API_KEY=... ./quickstart
 *   CLARIFAI_PAT=... CLARIFAI_USER_ID=... CLARIFAI_APP_ID=... ./quickstart
 *
 * CLARIFAI_API_BASE points it elsewhere, e.g. at the local emulator (http://127.0.0.1:PORT).
 * Settings the environment does not give (timeouts, retries, a proxy) go in clarifai_client_options;
 * unset ones keep the CLARIFAI_DEFAULT_* values of clarifai.h.
 *
 * Ownership in one line: what the library hands you through an out-parameter is yours, to free
 * with the matching clarifai_*_free; strings read from an object are borrowed from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clarifai.h>

/* Print a failure the way a user can act on it: what failed, the API's status, and for an
 * authorization failure exactly which scopes and endpoint grant the credential lacks. */
static void report(const char *what, clarifai_result result, const clarifai_error *err) {
    size_t i, n = clarifai_error_missing_scopes_count(err);
    printf("%s failed: %s\n  %s\n", what, clarifai_result_name(result), clarifai_error_message(err));
    for (i = 0; i < n; i++) printf("  missing scope: %s\n", clarifai_error_missing_scope(err, i));
    if (clarifai_error_missing_endpoint(err)) printf("  missing endpoint: %s\n", clarifai_error_missing_endpoint(err));
}

/* The first few concept names of a prediction (a real program would use its JSON library). */
static void print_concepts(const char *json) {
    const char *p = strstr(json, "\"concepts\"");
    int shown = 0;
    while (p && shown < 5 && (p = strstr(p, "\"name\":\"")) != NULL) {
        const char *name = p + 8;
        const char *end = strchr(name, '"');
        if (!end) break;
        printf("  %.*s\n", (int)(end - name), name);
        p = end;
        shown++;
    }
}

static int predict(const clarifai_client *client) {
    /* Clarifai's public models live in the app clarifai/main. An app key reaches them by the
     * bare path; a PAT acts on its own app unless the call names another one. */
    const char *params = clarifai_client_credential_kind(client) == CLARIFAI_CREDENTIAL_KIND_PAT
        ? "{\"user_app_id\": {\"user_id\": \"clarifai\", \"app_id\": \"main\"},"
          " \"model_id\": \"general-image-recognition\","
          " \"inputs\": [{\"data\": {\"image\": {\"url\": \"https://samples.clarifai.com/metro-north.jpg\"}}}]}"
        : "{\"model_id\": \"general-image-recognition\","
          " \"inputs\": [{\"data\": {\"image\": {\"url\": \"https://samples.clarifai.com/metro-north.jpg\"}}}]}";
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(client, "PostModelOutputs", params, &resp, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("predict", r, err);
        clarifai_error_free(err);
        return 1;
    }
    printf("predict: %u %s (req_id %s)\n", clarifai_response_status_code(resp), clarifai_response_description(resp),
           clarifai_response_req_id(resp));
    print_concepts(clarifai_response_json(resp));
    clarifai_response_free(resp);
    return 0;
}

/* With a PAT: make a key that may only predict, and watch it fail to add inputs. With an app
 * key (which cannot make keys): ask the preflight what adding inputs would need. */
static int show_missing_scopes(const clarifai_client *client) {
    static const char *const predict_only[] = {"Predict", "Models:Get", "Concepts:Get", "Apps:Get"};
    const char *app_id = getenv("CLARIFAI_APP_ID");
    clarifai_key *key = NULL;
    clarifai_client *narrow = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    size_t i;
    int status = 1;

    if (clarifai_client_credential_kind(client) != CLARIFAI_CREDENTIAL_KIND_PAT || !app_id) {
        r = clarifai_client_check(client, "PostInputs", &err);
        if (r == CLARIFAI_RESULT_OK) printf("this credential may call PostInputs\n");
        else report("preflight of PostInputs", r, err);
        clarifai_error_free(err);
        return r == CLARIFAI_RESULT_OK || r == CLARIFAI_RESULT_INSUFFICIENT_SCOPES ? 0 : 1;
    }

    /* Scope names in either spelling ("Models:Get" or "Models_Get"); no endpoint limit; the
     * PAT's own user ("me"). */
    r = clarifai_client_create_key(client, "quickstart: predict only", predict_only,
                                   sizeof predict_only / sizeof predict_only[0], NULL, 0, NULL, app_id, &key, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("create_key", r, err);
        goto out;
    }
    /* The new key's id is its secret: use it, never print it. */
    printf("created a key for app %s with scopes:", clarifai_key_app_id(key, 0));
    for (i = 0; i < clarifai_key_scope_count(key); i++) printf(" %s", clarifai_key_scope(key, i));
    printf("\n");
    r = clarifai_client_with_api_key(client, clarifai_key_id(key), &narrow, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("with_api_key", r, err);
        goto out;
    }
    r = clarifai_client_call(narrow, "PostInputs",
                             "{\"inputs\": [{\"data\": {\"image\": {\"url\": \"https://samples.clarifai.com/dog.jpg\"}}}]}",
                             &resp, &err);
    if (r == CLARIFAI_RESULT_INSUFFICIENT_SCOPES) {
        report("PostInputs with a predict-only key", r, err);
        status = 0;
    } else if (r == CLARIFAI_RESULT_OK) {
        printf("PostInputs unexpectedly succeeded\n");
    } else {
        report("PostInputs", r, err);
    }
    clarifai_error_free(err);
    err = NULL;
    r = clarifai_client_delete_key(client, clarifai_key_id(key), &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("delete_key", r, err);
        status = 1;
    }
out:
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(narrow);
    /* Freeing the key wipes its id, which is the secret. */
    clarifai_key_free(key);
    return status;
}

/* Calls can be stopped: start one, cancel it from this thread (any thread may), and collect
 * its result. Its callback (or, as here, clarifai_call_wait) always reports exactly once. */
static int show_cancellation(const clarifai_client *client) {
    clarifai_call_options *opts = clarifai_call_options_new();
    clarifai_cancel_token *token = clarifai_cancel_token_new();
    clarifai_call *call = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    int status = 1;
    /* A deadline of its own, and a token that could cancel it (and any other call given it). */
    clarifai_call_options_set_timeout_ms(opts, 30000, NULL);
    clarifai_call_options_set_cancel_token(opts, token, NULL);
    r = clarifai_client_call_start(client, "ListModels", "{\"per_page\": 1}", opts, &call, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("call_start", r, err);
        goto out;
    }
    clarifai_cancel_token_cancel(token);
    r = clarifai_call_wait(call, &resp, &err);
    /* Cancelled, unless the answer came first. */
    if (r == CLARIFAI_RESULT_CANCELLED || r == CLARIFAI_RESULT_OK) {
        printf("a cancelled call: %s\n", clarifai_result_name(r));
        status = 0;
    } else {
        report("a cancelled call", r, err);
    }
out:
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_call_free(call);
    clarifai_cancel_token_free(token);
    clarifai_call_options_free(opts);
    return status;
}

int main(void) {
    clarifai_client *client = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    int status;

    printf("clarifai-core %s\n", clarifai_version());
    r = clarifai_client_new_from_env(NULL, &client, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("client from the environment", r, err);
        clarifai_error_free(err);
        return 1;
    }
    status = predict(client) | show_missing_scopes(client) | show_cancellation(client);
    clarifai_client_free(client);
    return status;
}
