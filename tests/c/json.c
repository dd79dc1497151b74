#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any document the suite reads; bounds the recursion on hostile input. */
#define MAX_DEPTH 64

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    char *err;
    size_t err_len;
    int failed;
} parser;

static void fail(parser *p, const char *what) {
    if (!p->failed) {
        snprintf(p->err, p->err_len, "%s at byte %zu", what, p->pos);
        p->failed = 1;
    }
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static int literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0) {
        fail(p, "invalid literal");
        return 0;
    }
    p->pos += n;
    return 1;
}

static int hex4(parser *p, unsigned *out) {
    unsigned v = 0;
    if (p->len - p->pos < 4) return 0;
    for (int i = 0; i < 4; i++) {
        char c = p->text[p->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *w, unsigned cp) {
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode a string starting at the opening quote. Escapes never grow the text (\uXXXX is six
 * bytes for at most four), so the raw length bounds the decoded one. */
static char *parse_string(parser *p, size_t *out_len) {
    size_t start = ++p->pos;
    size_t end = start;
    char *out, *w;
    while (end < p->len && p->text[end] != '"') end += p->text[end] == '\\' ? 2 : 1;
    if (end >= p->len) {
        fail(p, "unterminated string");
        return NULL;
    }
    out = w = malloc(end - start + 1);
    if (!out) {
        fail(p, "out of memory");
        return NULL;
    }
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->text[p->pos];
        if (c < 0x20) {
            fail(p, "control character in string");
            break;
        }
        if (c != '\\') {
            *w++ = (char)c;
            p->pos++;
            continue;
        }
        p->pos++;
        c = (unsigned char)p->text[p->pos++];
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(p, &cp)) {
                fail(p, "bad \\u escape");
                break;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p->pos + 2 > end || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u') {
                    fail(p, "lone high surrogate");
                    break;
                }
                p->pos += 2;
                if (!hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    fail(p, "bad low surrogate");
                    break;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                fail(p, "lone low surrogate");
                break;
            }
            w += put_utf8(w, cp);
            break;
        }
        default: fail(p, "bad escape");
        }
        if (p->failed) break;
    }
    if (p->failed) {
        free(out);
        return NULL;
    }
    *w = '\0';
    *out_len = (size_t)(w - out);
    p->pos = end + 1;
    return out;
}

static int parse_number(parser *p, double *out) {
    size_t start = p->pos;
    char buf[64];
    char *endp;
    const char *t = p->text;
    if (p->pos < p->len && t[p->pos] == '-') p->pos++;
    if (p->pos < p->len && t[p->pos] == '0') {
        p->pos++;
    } else if (p->pos < p->len && t[p->pos] >= '1' && t[p->pos] <= '9') {
        while (p->pos < p->len && t[p->pos] >= '0' && t[p->pos] <= '9') p->pos++;
    } else {
        fail(p, "invalid number");
        return 0;
    }
    if (p->pos < p->len && t[p->pos] == '.') {
        size_t digits = ++p->pos;
        while (p->pos < p->len && t[p->pos] >= '0' && t[p->pos] <= '9') p->pos++;
        if (p->pos == digits) {
            fail(p, "invalid fraction");
            return 0;
        }
    }
    if (p->pos < p->len && (t[p->pos] == 'e' || t[p->pos] == 'E')) {
        size_t digits;
        p->pos++;
        if (p->pos < p->len && (t[p->pos] == '+' || t[p->pos] == '-')) p->pos++;
        digits = p->pos;
        while (p->pos < p->len && t[p->pos] >= '0' && t[p->pos] <= '9') p->pos++;
        if (p->pos == digits) {
            fail(p, "invalid exponent");
            return 0;
        }
    }
    if (p->pos - start >= sizeof buf) {
        fail(p, "number too long");
        return 0;
    }
    memcpy(buf, t + start, p->pos - start);
    buf[p->pos - start] = '\0';
    errno = 0;
    *out = strtod(buf, &endp);
    return 1;
}

static void free_value(json_value *v);

static int parse_value(parser *p, json_value *v, int depth);

/* Append to a growing items (and keys) array. */
static json_value *push(parser *p, json_value *v, size_t *cap, char *key) {
    if (v->count == *cap) {
        size_t n = *cap ? *cap * 2 : 4;
        json_value *items = realloc(v->items, n * sizeof *items);
        if (!items) {
            fail(p, "out of memory");
            return NULL;
        }
        v->items = items;
        if (v->type == JSON_OBJECT) {
            char **keys = realloc(v->keys, n * sizeof *keys);
            if (!keys) {
                fail(p, "out of memory");
                return NULL;
            }
            v->keys = keys;
        }
        *cap = n;
    }
    if (v->type == JSON_OBJECT) v->keys[v->count] = key;
    memset(&v->items[v->count], 0, sizeof v->items[0]);
    return &v->items[v->count++];
}

static int parse_container(parser *p, json_value *v, int depth) {
    char close = v->type == JSON_ARRAY ? ']' : '}';
    size_t cap = 0;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->text[p->pos] == close) {
        p->pos++;
        return 1;
    }
    for (;;) {
        char *key = NULL;
        json_value *item;
        skip_ws(p);
        if (v->type == JSON_OBJECT) {
            size_t key_len;
            if (p->pos >= p->len || p->text[p->pos] != '"') {
                fail(p, "expected a member name");
                return 0;
            }
            key = parse_string(p, &key_len);
            if (!key) return 0;
            skip_ws(p);
            if (p->pos >= p->len || p->text[p->pos] != ':') {
                free(key);
                fail(p, "expected ':'");
                return 0;
            }
            p->pos++;
        }
        item = push(p, v, &cap, key);
        if (!item) {
            free(key);
            return 0;
        }
        if (!parse_value(p, item, depth + 1)) return 0;
        skip_ws(p);
        if (p->pos < p->len && p->text[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->text[p->pos] == close) {
            p->pos++;
            return 1;
        }
        fail(p, "expected ',' or a closing bracket");
        return 0;
    }
}

static int parse_value(parser *p, json_value *v, int depth) {
    int ok;
    if (depth > MAX_DEPTH) {
        fail(p, "nested too deeply");
        return 0;
    }
    skip_ws(p);
    if (p->pos >= p->len) {
        fail(p, "unexpected end");
        return 0;
    }
    v->source = p->text + p->pos;
    switch (p->text[p->pos]) {
    case 'n': v->type = JSON_NULL; ok = literal(p, "null"); break;
    case 't': v->type = JSON_BOOL; v->boolean = 1; ok = literal(p, "true"); break;
    case 'f': v->type = JSON_BOOL; ok = literal(p, "false"); break;
    case '"':
        v->type = JSON_STRING;
        v->string = parse_string(p, &v->string_len);
        ok = v->string != NULL;
        break;
    case '[': v->type = JSON_ARRAY; ok = parse_container(p, v, depth); break;
    case '{': v->type = JSON_OBJECT; ok = parse_container(p, v, depth); break;
    default: v->type = JSON_NUMBER; ok = parse_number(p, &v->number);
    }
    v->source_len = (size_t)(p->text + p->pos - v->source);
    return ok;
}

json_value *json_parse(const char *text, size_t len, char *err, size_t err_len) {
    parser p = {text, len, 0, err, err_len, 0};
    json_value *root = calloc(1, sizeof *root);
    if (!root) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    if (parse_value(&p, root, 0)) {
        skip_ws(&p);
        if (p.pos != p.len) fail(&p, "trailing characters");
    }
    if (p.failed) {
        json_free(root);
        return NULL;
    }
    return root;
}

static void free_value(json_value *v) {
    for (size_t i = 0; i < v->count; i++) {
        free_value(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
}

void json_free(json_value *root) {
    if (!root) return;
    free_value(root);
    free(root);
}

const json_value *json_get(const json_value *obj, const char *key) {
    if (!obj || obj->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < obj->count; i++) {
        if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
    }
    return NULL;
}

const json_value *json_at(const json_value *arr, size_t i) {
    if (!arr || arr->type != JSON_ARRAY || i >= arr->count) return NULL;
    return &arr->items[i];
}

const char *json_str(const json_value *v) {
    return v && v->type == JSON_STRING ? v->string : NULL;
}

const char *json_get_str(const json_value *obj, const char *key) {
    return json_str(json_get(obj, key));
}

double json_num(const json_value *v, double fallback) {
    return v && v->type == JSON_NUMBER ? v->number : fallback;
}

int json_array_has_str(const json_value *arr, const char *s) {
    if (!arr || arr->type != JSON_ARRAY) return 0;
    for (size_t i = 0; i < arr->count; i++) {
        const char *e = json_str(&arr->items[i]);
        if (e && strcmp(e, s) == 0) return 1;
    }
    return 0;
}
