/* A small strict JSON reader (RFC 8259) for the suite: the emulator's hello line, the
 * conformance vectors and the library's JSON outputs. Values form a tree owned by the root. */
#ifndef CLARIFAI_TEST_JSON_H
#define CLARIFAI_TEST_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    int boolean;
    double number;
    char *string;               /* decoded UTF-8, NUL-terminated (JSON_STRING) */
    size_t string_len;          /* bytes, since a decoded string may hold \u0000 */
    size_t count;               /* members or elements */
    char **keys;                /* JSON_OBJECT: decoded member names */
    struct json_value *items;   /* JSON_ARRAY elements or JSON_OBJECT member values */
    const char *source;         /* this value's text inside the parsed document */
    size_t source_len;
} json_value;

/* Parse a whole document; NULL on error with a message (and byte offset) in `err`. The
 * values' `source` points into `text`, which must outlive the tree. */
json_value *json_parse(const char *text, size_t len, char *err, size_t err_len);
void json_free(json_value *root);

/* The member `key` of an object, or NULL (also when `obj` is NULL or not an object). */
const json_value *json_get(const json_value *obj, const char *key);
/* Element `i` of an array, or NULL. */
const json_value *json_at(const json_value *arr, size_t i);
/* The string, or NULL when `v` is not a string. */
const char *json_str(const json_value *v);
/* The member's string, or NULL. */
const char *json_get_str(const json_value *obj, const char *key);
/* The number, or `fallback`. */
double json_num(const json_value *v, double fallback);
/* True when array `arr` holds the string `s`. */
int json_array_has_str(const json_value *arr, const char *s);

#endif
