/* jsonload — json_loadb, faster. Parses a buffer straight into jansson
 * values (no stream layer, whitespace and plain strings scanned in place),
 * for the documents tutti reads whole: state machine definitions and
 * execution inputs. The result is the one json_loadb would give: same
 * values, same integer/real types, same key order. Anything it does not
 * take (invalid JSON, duplicate keys under JSON_REJECT_DUPLICATES, numbers
 * out of range, deep nesting, flags other than JSON_REJECT_DUPLICATES and
 * JSON_DECODE_ANY) is handed to json_loadb itself, so errors are
 * jansson's, word for word. */
#ifndef TUTTI_JSONLOAD_H
#define TUTTI_JSONLOAD_H

#include <jansson.h>
#include <stddef.h>

json_t *jsonload_buf(const char *buf, size_t len, size_t flags, json_error_t *error);

#endif
