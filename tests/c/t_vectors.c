/* The conformance vectors (tests/vectors/cases.json, format in tests/vectors/README.md): the
 * same cases every front end runs, each reported as its own test. Read with Jansson. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define ROUTE_HEADER "X-Clarifai-Emulator-Route"

static emulator V;
static json_t *doc;

typedef struct {
    const char *name;
    clarifai_client *client;
} credential;

static credential *creds;
static size_t cred_count;
static const json_t *current_case;

/* Replace {user_id} and {app_id} in `s` with the emulator's demo ids; caller frees. */
static char *subst(const char *s) {
    static const char *const names[] = {"{user_id}", "{app_id}"};
    const char *values[2];
    size_t cap, w = 0, len;
    char *out;
    if (!s) return NULL;
    values[0] = V.user_id;
    values[1] = V.app_id;
    len = strlen(s);
    /* Each placeholder is at least 8 bytes; the ids are at most 127. */
    cap = len * 16 + 1;
    out = malloc(cap);
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
        int hit = 0;
        for (int k = 0; k < 2 && !hit; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(s + i, names[k], n) == 0) {
                size_t v = strlen(values[k]);
                memcpy(out + w, values[k], v);
                w += v;
                i += n;
                hit = 1;
            }
        }
        if (!hit) out[w++] = s[i++];
    }
    out[w] = '\0';
    return out;
}

/* A JSON value as compact text with the placeholders replaced; NULL for absent or null. */
static char *subst_json(const json_t *v) {
    char *text, *out;
    if (!v || json_is_null(v)) return NULL;
    text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    out = subst(text);
    free(text);
    return out;
}

static const char *jstr(const json_t *obj, const char *key) {
    return json_string_value(json_object_get(obj, key));
}

static clarifai_client_options *vector_options(void) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client_options_set_base_url(o, V.url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    return o;
}

static clarifai_client *demo_pat(void) {
    clarifai_client_options *o = vector_options();
    clarifai_client *c = NULL;
    clarifai_client_new_pat(V.pat, V.user_id, V.app_id, o, &c, NULL);
    clarifai_client_options_free(o);
    return c;
}

/* The strings of a JSON array as a C array (placeholders replaced); NULL entries on error. */
static char **string_list(const json_t *arr, size_t *n) {
    char **out;
    *n = json_array_size(arr);
    out = calloc(*n ? *n : 1, sizeof *out);
    for (size_t i = 0; out && i < *n; i++) out[i] = subst(json_string_value(json_array_get(arr, i)));
    return out;
}

static void free_list(char **list, size_t n) {
    for (size_t i = 0; list && i < n; i++) free(list[i]);
    free(list);
}

/* A key created with the demo PAT, per a credential's "create". Returns the token or NULL. */
static char *create_key(const json_t *spec, char *why, size_t why_len) {
    clarifai_client *pat = demo_pat();
    const char *app = jstr(spec, "app");
    size_t ns = 0, ne = 0;
    char **scopes = string_list(json_object_get(spec, "scopes"), &ns);
    char **endpoints = string_list(json_object_get(spec, "endpoints"), &ne);
    clarifai_key *key = NULL;
    char *token = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    if (!app || strcmp(app, "demo") == 0) app = V.app_id;
    r = clarifai_client_create_key(pat, "conformance vectors", (const char *const *)scopes, ns, (const char *const *)endpoints,
                                   ne, "me", app, &key, &err);
    if (r == CLARIFAI_RESULT_OK) {
        if (clarifai_key_id(key)) token = strdup(clarifai_key_id(key));
    } else {
        snprintf(why, why_len, "%s: %s", clarifai_result_name(r), clarifai_error_message(err));
    }
    clarifai_key_free(key);
    clarifai_error_free(err);
    clarifai_client_free(pat);
    free_list(scopes, ns);
    free_list(endpoints, ne);
    return token;
}

/* Build one credential's client; NULL with a reason on failure. */
static clarifai_client *build_credential(const json_t *spec, char *why, size_t why_len) {
    const char *kind = jstr(spec, "kind");
    const char *from = jstr(spec, "from");
    const char *literal = jstr(spec, "token");
    const json_t *create = json_object_get(spec, "create");
    clarifai_client_options *o = vector_options();
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_INVALID_ARGUMENT;
    char *made = NULL;
    if (kind && strcmp(kind, "pat") == 0 && from && strcmp(from, "demo") == 0) {
        r = clarifai_client_new_pat(V.pat, V.user_id, V.app_id, o, &c, &err);
    } else if (kind && strcmp(kind, "api_key") == 0) {
        const char *token = NULL;
        if (from && strcmp(from, "demo") == 0) {
            token = V.api_key;
        } else if (literal) {
            token = literal;
        } else if (create) {
            token = made = create_key(create, why, why_len);
            if (!made) goto out;
            h_secret(made);
        }
        if (token) r = clarifai_client_new_api_key(token, o, &c, &err);
    }
    if (r != CLARIFAI_RESULT_OK) snprintf(why, why_len, "%s: %s", clarifai_result_name(r), err ? clarifai_error_message(err) : "unsupported credential");
out:
    free(made);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
    return c;
}

static const clarifai_client *credential_named(const char *name) {
    for (size_t i = 0; name && i < cred_count; i++) {
        if (strcmp(creds[i].name, name) == 0) return creds[i].client;
    }
    return NULL;
}

/* A JSON number as a double, or `fallback`. */
static double jnum(const json_t *v, double fallback) {
    return json_is_number(v) ? json_number_value(v) : fallback;
}

static void run_case(void) {
    const json_t *c = current_case;
    const json_t *expect = json_object_get(c, "expect");
    const json_t *call = json_object_get(c, "call");
    const json_t *request = json_object_get(c, "request");
    const clarifai_client *client = credential_named(jstr(c, "credential"));
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_PANIC;
    const char *route, *field;
    const json_t *want;
    uint32_t code;
    unsigned http;

    if (!client) {
        h_fail(__FILE__, __LINE__, "no client for credential %s", jstr(c, "credential"));
        return;
    }
    if (call) {
        char *p = subst_json(json_object_get(call, "params"));
        r = clarifai_client_call(client, jstr(call, "endpoint"), p, &resp, &err);
        free(p);
    } else if (request) {
        char *path = subst(jstr(request, "path"));
        char *b = subst_json(json_object_get(request, "body"));
        r = clarifai_client_request(client, jstr(request, "method"), path, b, &resp, &err);
        free(path);
        free(b);
    } else {
        h_fail(__FILE__, __LINE__, "the case has neither call nor request");
        return;
    }
    route = r == CLARIFAI_RESULT_OK ? clarifai_response_header(resp, ROUTE_HEADER) : clarifai_error_header(err, ROUTE_HEADER);
    code = r == CLARIFAI_RESULT_OK ? clarifai_response_status_code(resp) : clarifai_error_status_code(err);
    http = r == CLARIFAI_RESULT_OK ? clarifai_response_http_status(resp) : clarifai_error_http_status(err);

    json_object_foreach((json_t *)expect, field, want) {
        if (strcmp(field, "result") == 0) {
            CHECK_MSG(json_string_value(want) && strcmp(clarifai_result_name(r), json_string_value(want)) == 0,
                      "result %s, expected %s%s%s", clarifai_result_name(r), json_string_value(want), err ? ": " : "",
                      err ? clarifai_error_message(err) : "");
        } else if (strcmp(field, "code") == 0) {
            CHECK_MSG(jnum(want, -1) == (double)code, "code %u, expected %.0f", code, jnum(want, -1));
        } else if (strcmp(field, "http") == 0) {
            CHECK_MSG(jnum(want, -1) == (double)http, "http %u, expected %.0f", http, jnum(want, -1));
        } else if (strcmp(field, "route") == 0) {
            char *w = subst(json_string_value(want));
            CHECK_MSG(w && route && strcmp(route, w) == 0, "route \"%s\", expected \"%s\"", route ? route : "(none)", w ? w : "?");
            free(w);
        } else if (strcmp(field, "missing_scopes") == 0) {
            size_t n = clarifai_error_missing_scopes_count(err);
            int same = json_is_array(want) && json_array_size(want) == n;
            char *shown = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
            for (size_t k = 0; same && k < n; k++) {
                const char *w = json_string_value(json_array_get(want, k));
                same = w && strcmp(clarifai_error_missing_scope(err, k), w) == 0;
            }
            CHECK_MSG(same, "missing scopes (%zu: %s%s) differ from %s", n, n ? clarifai_error_missing_scope(err, 0) : "",
                      n > 1 ? ", ..." : "", shown ? shown : "?");
            free(shown);
        } else if (strcmp(field, "missing_endpoint") == 0) {
            const char *got = clarifai_error_missing_endpoint(err);
            char *w = subst(json_string_value(want));
            CHECK_MSG(w ? (got && strcmp(got, w) == 0) : (got == NULL && json_is_null(want)), "missing endpoint \"%s\", expected %s",
                      got ? got : "(null)", w ? w : "null");
            free(w);
        } else if (strcmp(field, "retry_after") == 0) {
            int64_t got = clarifai_error_retry_after_secs(err);
            CHECK_MSG(jnum(want, -2) == (double)got, "retry_after %lld, expected %.0f", (long long)got, jnum(want, -2));
        } else {
            /* A field this runner does not know would otherwise pass unchecked. */
            h_fail(__FILE__, __LINE__, "expect.%s is not understood by the C runner", field);
        }
    }
    clarifai_response_free(resp);
    clarifai_error_free(err);
}

/* One option of an option case, through its C setter. Returns 0 when the name or the type of
 * the value is not one the runner knows (a failure of the case). */
static int apply_option(clarifai_client_options *o, const char *name, const json_t *v) {
    clarifai_error *err = NULL;
    clarifai_result r;
    const char *s = json_string_value(v);
    json_int_t n = json_integer_value(v);
    if (json_is_string(v) && strcmp(name, "base_url") == 0) {
        r = clarifai_client_options_set_base_url(o, s, &err);
    } else if (json_is_string(v) && strcmp(name, "user_agent") == 0) {
        r = clarifai_client_options_set_user_agent(o, s, &err);
    } else if (json_is_string(v) && strcmp(name, "proxy") == 0) {
        r = clarifai_client_options_set_proxy(o, s, &err);
    } else if (json_is_integer(v) && n >= 0 && strcmp(name, "timeout_ms") == 0) {
        r = clarifai_client_options_set_timeout_ms(o, (uint64_t)n, &err);
    } else if (json_is_integer(v) && n >= 0 && strcmp(name, "connect_timeout_ms") == 0) {
        r = clarifai_client_options_set_connect_timeout_ms(o, (uint64_t)n, &err);
    } else if (json_is_integer(v) && n >= 0 && strcmp(name, "max_concurrency") == 0) {
        r = clarifai_client_options_set_max_concurrency(o, (size_t)n, &err);
    } else if (json_is_integer(v) && n >= 0 && n <= UINT32_MAX && strcmp(name, "max_retries") == 0) {
        r = clarifai_client_options_set_max_retries(o, (uint32_t)n, &err);
    } else if (json_is_integer(v) && n >= 0 && strcmp(name, "max_response_bytes") == 0) {
        r = clarifai_client_options_set_max_response_bytes(o, (uint64_t)n, &err);
    } else {
        h_fail(__FILE__, __LINE__, "option %s (of this type) is not understood by the C runner", name);
        return 0;
    }
    /* Setters only store: whatever the value, they take it (the client refuses it, or not). */
    CHECK_MSG(r == CLARIFAI_RESULT_OK, "setting %s gave %s: %s", name, clarifai_result_name(r), clarifai_error_message(err));
    clarifai_error_free(err);
    return 1;
}

static void run_option_case(void) {
    const json_t *c = current_case;
    const json_t *expect = json_object_get(c, "expect");
    const char *want = jstr(expect, "result");
    const json_t *no_call = json_object_get(expect, "no_call");
    const char *field, *name;
    const json_t *v;
    clarifai_client_options *o = vector_options();
    clarifai_client *client = SENTINEL;
    clarifai_error *err = NULL;
    clarifai_result r;
    int understood = 1;

    json_object_foreach((json_t *)expect, field, v) {
        if (strcmp(field, "result") != 0 && strcmp(field, "no_call") != 0) {
            h_fail(__FILE__, __LINE__, "expect.%s is not understood by the C runner", field);
        }
    }
    json_object_foreach((json_t *)json_object_get(c, "options"), name, v) {
        understood &= apply_option(o, name, v);
    }
    if (!understood || !want) {
        if (!want) h_fail(__FILE__, __LINE__, "the case has no expect.result");
        clarifai_client_options_free(o);
        return;
    }
    r = clarifai_client_new_api_key(V.api_key, o, &client, &err);
    clarifai_client_options_free(o);
    CHECK_MSG(strcmp(clarifai_result_name(r), want) == 0, "making the client gave %s, expected %s%s%s", clarifai_result_name(r),
              want, err ? ": " : "", err ? clarifai_error_message(err) : "");
    clarifai_error_free(err);
    err = NULL;
    if (r != CLARIFAI_RESULT_OK) {
        CHECK_MSG(client == SENTINEL, "a refused client was written");
        return;
    }
    if (strcmp(want, "CLARIFAI_RESULT_OK") == 0 && !json_is_true(no_call)) {
        clarifai_response *resp = NULL;
        r = clarifai_client_call(client, "ListInputs", NULL, &resp, &err);
        CHECK_MSG(r == CLARIFAI_RESULT_OK, "ListInputs with that client gave %s: %s", clarifai_result_name(r), clarifai_error_message(err));
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    clarifai_client_free(client);
}

static char setup_failure[1024];
static void setup_fails(void) {
    h_fail(__FILE__, __LINE__, "%s", setup_failure);
}

static void setup_apps(void) {
    const json_t *apps = json_object_get(json_object_get(doc, "setup"), "apps");
    clarifai_client *pat = demo_pat();
    for (size_t i = 0; i < json_array_size(apps); i++) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        /* A failure saying it exists is fine; anything else shows up in the cases using it. */
        clarifai_client_create_app(pat, json_string_value(json_array_get(apps, i)), "conformance vectors", &resp, &err);
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    clarifai_client_free(pat);
}

/* Each case of `cases` as its own test; returns how many ran. */
static size_t run_cases(const json_t *cases, const char *prefix, test_fn fn, int *vec_passed, int *vec_failed) {
    for (size_t i = 0; i < json_array_size(cases); i++) {
        char name[512];
        current_case = json_array_get(cases, i);
        snprintf(name, sizeof name, "%s: %s", prefix, jstr(current_case, "name") ? jstr(current_case, "name") : "?");
        switch (h_run(name, fn)) {
        case 1: (*vec_passed)++; break;
        case 0: (*vec_failed)++; break;
        default: break;
        }
    }
    return json_array_size(cases);
}

void suite_vectors(void) {
    const char *path = getenv("CLARIFAI_VECTORS");
    const char *root = getenv("CLARIFAI_REPO_ROOT");
    json_error_t jerr;
    const char *args[64];
    size_t nargs = 0;
    const json_t *emu_args, *cred_specs, *spec;
    const char *cred_name;
    int vec_passed = 0, vec_failed = 0;

    if (!path) {
        snprintf(setup_failure, sizeof setup_failure, "CLARIFAI_VECTORS is not set");
        h_run("vectors: load cases.json", setup_fails);
        return;
    }
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        snprintf(setup_failure, sizeof setup_failure, "%s:%d: %s", path, jerr.line, jerr.text);
        h_run("vectors: load cases.json", setup_fails);
        return;
    }
    emu_args = json_object_get(doc, "emulator_args");
    for (size_t i = 0; i < json_array_size(emu_args) && nargs + 1 < COUNT_OF(args); i++) {
        args[nargs++] = json_string_value(json_array_get(emu_args, i));
    }
    args[nargs] = NULL;
    /* Relative paths in emulator_args are relative to the repository root. */
    if (emu_start(&V, args, root) != 0) {
        snprintf(setup_failure, sizeof setup_failure, "the vectors' emulator did not start");
        h_run("vectors: start the emulator", setup_fails);
        json_decref(doc);
        return;
    }
    setup_apps();

    cred_specs = json_object_get(doc, "credentials");
    creds = calloc(json_object_size(cred_specs) + 1, sizeof *creds);
    cred_count = 0;
    json_object_foreach((json_t *)cred_specs, cred_name, spec) {
        char why[512] = "";
        if (!creds) break;
        creds[cred_count].name = cred_name;
        creds[cred_count].client = build_credential(spec, why, sizeof why);
        if (!creds[cred_count].client) {
            char name[300];
            snprintf(setup_failure, sizeof setup_failure, "credential %s: %s", cred_name, why);
            snprintf(name, sizeof name, "vectors: credential %s", cred_name);
            h_run(name, setup_fails);
        }
        cred_count++;
    }

    if (run_cases(json_object_get(doc, "cases"), "vector", run_case, &vec_passed, &vec_failed) == 0) {
        snprintf(setup_failure, sizeof setup_failure, "%s holds no cases", path);
        h_run("vectors: cases present", setup_fails);
    }
    if (run_cases(json_object_get(doc, "option_cases"), "vector option", run_option_case, &vec_passed, &vec_failed) == 0) {
        snprintf(setup_failure, sizeof setup_failure, "%s holds no option_cases", path);
        h_run("vectors: option cases present", setup_fails);
    }
    /* The vectors' own tally, as tests/vectors/README.md asks of a runner. */
    if (vec_passed + vec_failed > 0) h_diag("vectors: %d passed, %d failed", vec_passed, vec_failed);

    for (size_t i = 0; i < cred_count; i++) clarifai_client_free(creds[i].client);
    free(creds);
    creds = NULL;
    emu_stop(&V);
    json_decref(doc);
    doc = NULL;
}
