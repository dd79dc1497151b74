/* clarifai-core from C: an authorized predict call, a missing-scopes error, and cleanup.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs clarifai) -o quickstart
 *   CLARIFAI_API_KEY=... ./quickstart
 *   CLARIFAI_PAT=... CLARIFAI_USER_ID=... CLARIFAI_APP_ID=... ./quickstart
 *
 * CLARIFAI_API_BASE points it elsewhere, e.g. at the local emulator (http://127.0.0.1:PORT).
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

/* The top-level string member `name` of a flat JSON object, copied into `out`. */
static int top_level_string(const char *json, const char *name, char *out, size_t cap) {
    int depth = 0;
    size_t n = strlen(name);
    for (const char *p = json; *p; p++) {
        if (*p == '"') {
            const char *end = p + 1;
            while (*end && *end != '"') end += end[0] == '\\' && end[1] ? 2 : 1;
            if (!*end) return 0;
            if (depth == 1 && (size_t)(end - p - 1) == n && strncmp(p + 1, name, n) == 0 && end[1] == ':' &&
                end[2] == '"') {
                const char *v = end + 3, *v_end = strchr(v, '"');
                if (!v_end || (size_t)(v_end - v) >= cap) return 0;
                memcpy(out, v, (size_t)(v_end - v));
                out[v_end - v] = '\0';
                return 1;
            }
            p = end;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    return 0;
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
    const char *app_id = getenv("CLARIFAI_APP_ID");
    char *key_json = NULL;
    char key_id[256];
    clarifai_client *narrow = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    int status = 1;

    if (clarifai_client_credential_kind(client) != CLARIFAI_CREDENTIAL_KIND_PAT || !app_id) {
        r = clarifai_client_check(client, "PostInputs", &err);
        if (r == CLARIFAI_RESULT_OK) printf("this credential may call PostInputs\n");
        else report("preflight of PostInputs", r, err);
        clarifai_error_free(err);
        return r == CLARIFAI_RESULT_OK || r == CLARIFAI_RESULT_INSUFFICIENT_SCOPES ? 0 : 1;
    }

    r = clarifai_client_create_key(client, "quickstart: predict only",
                                   "[\"Predict\", \"Models:Get\", \"Concepts:Get\", \"Apps:Get\"]", NULL, NULL, app_id,
                                   &key_json, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("create_key", r, err);
        goto out;
    }
    /* The new key's id is its secret: never print it. */
    if (!top_level_string(key_json, "id", key_id, sizeof key_id)) {
        printf("create_key returned no id\n");
        goto out;
    }
    r = clarifai_client_with_api_key(client, key_id, &narrow, &err);
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
    r = clarifai_client_delete_key(client, key_id, &err);
    if (r != CLARIFAI_RESULT_OK) {
        report("delete_key", r, err);
        status = 1;
    }
out:
    /* Wipe our copy of the key; the library wipes its own when freed. */
    memset(key_id, 0, sizeof key_id);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(narrow);
    clarifai_string_free(key_json);
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
    status = predict(client) | show_missing_scopes(client);
    clarifai_client_free(client);
    return status;
}
