/* The conformance vectors (tests/vectors/cases.json, format in tests/vectors/README.md): the
 * same cases every front end runs, each reported as its own test. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define ROUTE_HEADER "X-Clarifai-Emulator-Route"

static emulator V;
static json_value *doc;

typedef struct {
    const char *name;
    clarifai_client *client;
} credential;

static credential *creds;
static size_t cred_count;
static const json_value *current_case;

/* Replace {user_id} and {app_id} with the emulator's demo ids; caller frees. */
static char *subst(const char *s, size_t len) {
    static const char *const names[] = {"{user_id}", "{app_id}"};
    const char *values[] = {V.user_id, V.app_id};
    size_t cap = len * 4 + 256, w = 0;
    char *out = malloc(cap);
    size_t i = 0;
    if (!out) return NULL;
    while (i < len) {
        int hit = 0;
        for (int k = 0; k < 2 && !hit; k++) {
            size_t n = strlen(names[k]);
            if (len - i >= n && memcmp(s + i, names[k], n) == 0) {
                size_t v = strlen(values[k]);
                if (w + v + 1 > cap) {
                    char *bigger = realloc(out, cap = (cap + v) * 2);
                    if (!bigger) {
                        free(out);
                        return NULL;
                    }
                    out = bigger;
                }
                memcpy(out + w, values[k], v);
                w += v;
                i += n;
                hit = 1;
            }
        }
        if (!hit) {
            if (w + 2 > cap) {
                char *bigger = realloc(out, cap *= 2);
                if (!bigger) {
                    free(out);
                    return NULL;
                }
                out = bigger;
            }
            out[w++] = s[i++];
        }
    }
    out[w] = '\0';
    return out;
}

static char *subst_str(const char *s) {
    return s ? subst(s, strlen(s)) : NULL;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
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

/* A key created with the demo PAT, per a credential's "create". Returns the token or NULL. */
static char *create_key(const json_value *spec, char *why, size_t why_len) {
    clarifai_client *pat = demo_pat();
    const char *app = json_get_str(spec, "app");
    const json_value *scopes = json_get(spec, "scopes");
    const json_value *endpoints = json_get(spec, "endpoints");
    char *scopes_json = scopes ? subst(scopes->source, scopes->source_len) : NULL;
    char *endpoints_json = endpoints ? subst(endpoints->source, endpoints->source_len) : NULL;
    char *key_json = NULL, *token = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    if (!app || strcmp(app, "demo") == 0) app = V.app_id;
    r = clarifai_client_create_key(pat, "conformance vectors", scopes_json ? scopes_json : "[]", endpoints_json, NULL, app,
                                   &key_json, &err);
    if (r == CLARIFAI_RESULT_OK) {
        char perr[128];
        json_value *k = json_parse(key_json, strlen(key_json), perr, sizeof perr);
        if (json_get_str(k, "id")) token = strdup(json_get_str(k, "id"));
        json_free(k);
    } else {
        snprintf(why, why_len, "%s: %s", clarifai_result_name(r), clarifai_error_message(err));
    }
    clarifai_string_free(key_json);
    clarifai_error_free(err);
    clarifai_client_free(pat);
    free(scopes_json);
    free(endpoints_json);
    return token;
}

/* Build one credential's client; NULL with a reason on failure. */
static clarifai_client *build_credential(const json_value *spec, char *why, size_t why_len) {
    const char *kind = json_get_str(spec, "kind");
    const char *from = json_get_str(spec, "from");
    const char *literal = json_get_str(spec, "token");
    const json_value *create = json_get(spec, "create");
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

static void run_case(void) {
    const json_value *c = current_case;
    const json_value *expect = json_get(c, "expect");
    const json_value *call = json_get(c, "call");
    const json_value *request = json_get(c, "request");
    const clarifai_client *client = credential_named(json_get_str(c, "credential"));
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_PANIC;
    const char *route;
    uint32_t code;
    unsigned http;

    if (!client) {
        h_fail(__FILE__, __LINE__, "no client for credential %s", json_get_str(c, "credential"));
        return;
    }
    if (call) {
        const json_value *params = json_get(call, "params");
        char *p = params && params->type != JSON_NULL ? subst(params->source, params->source_len) : NULL;
        r = clarifai_client_call(client, json_get_str(call, "endpoint"), p, &resp, &err);
        free(p);
    } else if (request) {
        const json_value *body = json_get(request, "body");
        char *path = subst_str(json_get_str(request, "path"));
        char *b = body && body->type != JSON_NULL ? subst(body->source, body->source_len) : NULL;
        r = clarifai_client_request(client, json_get_str(request, "method"), path, b, &resp, &err);
        free(path);
        free(b);
    } else {
        h_fail(__FILE__, __LINE__, "the case has neither call nor request");
        return;
    }
    route = r == CLARIFAI_RESULT_OK ? clarifai_response_header(resp, ROUTE_HEADER) : clarifai_error_header(err, ROUTE_HEADER);
    code = r == CLARIFAI_RESULT_OK ? clarifai_response_status_code(resp) : clarifai_error_status_code(err);
    http = r == CLARIFAI_RESULT_OK ? clarifai_response_http_status(resp) : clarifai_error_http_status(err);

    for (size_t i = 0; expect && i < expect->count; i++) {
        const char *field = expect->keys[i];
        const json_value *want = &expect->items[i];
        if (strcmp(field, "result") == 0) {
            CHECK_MSG(json_str(want) && strcmp(clarifai_result_name(r), json_str(want)) == 0, "result %s, expected %s%s%s",
                      clarifai_result_name(r), json_str(want), err ? ": " : "", err ? clarifai_error_message(err) : "");
        } else if (strcmp(field, "code") == 0) {
            CHECK_MSG(json_num(want, -1) == (double)code, "code %u, expected %.0f", code, json_num(want, -1));
        } else if (strcmp(field, "http") == 0) {
            CHECK_MSG(json_num(want, -1) == (double)http, "http %u, expected %.0f", http, json_num(want, -1));
        } else if (strcmp(field, "route") == 0) {
            char *w = subst_str(json_str(want));
            CHECK_MSG(w && route && strcmp(route, w) == 0, "route \"%s\", expected \"%s\"", route ? route : "(none)", w ? w : "?");
            free(w);
        } else if (strcmp(field, "missing_scopes") == 0) {
            size_t n = clarifai_error_missing_scopes_count(err);
            int same = want->type == JSON_ARRAY && want->count == n;
            for (size_t k = 0; same && k < n; k++) {
                const char *w = json_str(json_at(want, k));
                same = w && strcmp(clarifai_error_missing_scope(err, k), w) == 0;
            }
            CHECK_MSG(same, "missing scopes (%zu: %s%s) differ from %.*s", n, n ? clarifai_error_missing_scope(err, 0) : "",
                      n > 1 ? ", ..." : "", (int)want->source_len, want->source);
        } else if (strcmp(field, "missing_endpoint") == 0) {
            const char *got = clarifai_error_missing_endpoint(err);
            char *w = subst_str(json_str(want));
            CHECK_MSG(w ? (got && strcmp(got, w) == 0) : (got == NULL && want->type == JSON_NULL),
                      "missing endpoint \"%s\", expected %.*s", got ? got : "(null)", (int)want->source_len, want->source);
            free(w);
        } else if (strcmp(field, "retry_after") == 0) {
            int64_t got = clarifai_error_retry_after_secs(err);
            CHECK_MSG(json_num(want, -2) == (double)got, "retry_after %lld, expected %.*s", (long long)got,
                      (int)want->source_len, want->source);
        } else {
            /* A field this runner does not know would otherwise pass unchecked. */
            h_fail(__FILE__, __LINE__, "expect.%s is not understood by the C runner", field);
        }
    }
    clarifai_response_free(resp);
    clarifai_error_free(err);
}

static char setup_failure[1024];
static void setup_fails(void) {
    h_fail(__FILE__, __LINE__, "%s", setup_failure);
}

static void setup_apps(void) {
    const json_value *apps = json_get(json_get(doc, "setup"), "apps");
    clarifai_client *pat = demo_pat();
    for (size_t i = 0; apps && i < apps->count; i++) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        /* A failure saying it exists is fine; anything else shows up in the cases using it. */
        clarifai_client_create_app(pat, json_str(json_at(apps, i)), "conformance vectors", &resp, &err);
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    clarifai_client_free(pat);
}

void suite_vectors(void) {
    const char *path = getenv("CLARIFAI_VECTORS");
    const char *root = getenv("CLARIFAI_REPO_ROOT");
    char *text;
    size_t len = 0;
    char perr[128];
    const char *args[64];
    size_t nargs = 0;
    const json_value *emu_args, *cases, *cred_specs;
    int vec_passed = 0, vec_failed = 0;

    if (!path) {
        snprintf(setup_failure, sizeof setup_failure, "CLARIFAI_VECTORS is not set");
        h_run("vectors: load cases.json", setup_fails);
        return;
    }
    text = read_file(path, &len);
    doc = text ? json_parse(text, len, perr, sizeof perr) : NULL;
    if (!doc) {
        snprintf(setup_failure, sizeof setup_failure, "%s: %s", path, text ? perr : "cannot read");
        h_run("vectors: load cases.json", setup_fails);
        free(text);
        return;
    }
    emu_args = json_get(doc, "emulator_args");
    for (size_t i = 0; emu_args && i < emu_args->count && nargs + 1 < sizeof args / sizeof args[0]; i++) {
        args[nargs++] = json_str(json_at(emu_args, i));
    }
    args[nargs] = NULL;
    /* Relative paths in emulator_args are relative to the repository root. */
    if (emu_start(&V, args, root) != 0) {
        snprintf(setup_failure, sizeof setup_failure, "the vectors' emulator did not start");
        h_run("vectors: start the emulator", setup_fails);
        json_free(doc);
        free(text);
        return;
    }
    setup_apps();

    cred_specs = json_get(doc, "credentials");
    cred_count = cred_specs ? cred_specs->count : 0;
    creds = calloc(cred_count ? cred_count : 1, sizeof *creds);
    for (size_t i = 0; creds && i < cred_count; i++) {
        char why[512] = "";
        creds[i].name = cred_specs->keys[i];
        creds[i].client = build_credential(&cred_specs->items[i], why, sizeof why);
        if (!creds[i].client) {
            char name[300];
            snprintf(setup_failure, sizeof setup_failure, "credential %s: %s", creds[i].name, why);
            snprintf(name, sizeof name, "vectors: credential %s", creds[i].name);
            h_run(name, setup_fails);
        }
    }

    cases = json_get(doc, "cases");
    for (size_t i = 0; cases && i < cases->count; i++) {
        char name[512];
        current_case = json_at(cases, i);
        snprintf(name, sizeof name, "vector: %s", json_get_str(current_case, "name") ? json_get_str(current_case, "name") : "?");
        switch (h_run(name, run_case)) {
        case 1: vec_passed++; break;
        case 0: vec_failed++; break;
        default: break;
        }
    }
    /* The vectors' own tally, as tests/vectors/README.md asks of a runner. */
    if (vec_passed + vec_failed > 0) h_diag("vectors: %d passed, %d failed", vec_passed, vec_failed);
    if (!cases || cases->count == 0) {
        snprintf(setup_failure, sizeof setup_failure, "%s holds no cases", path);
        h_run("vectors: cases present", setup_fails);
    }

    for (size_t i = 0; i < cred_count; i++) clarifai_client_free(creds[i].client);
    free(creds);
    creds = NULL;
    emu_stop(&V);
    json_free(doc);
    doc = NULL;
    free(text);
}
