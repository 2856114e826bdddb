/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny streaming JSON writer: objects, arrays, strings (escaped, and
 * always valid UTF-8 on output), numbers and booleans. Commas are placed by
 * the writer; callers only open, add and close.
 */
#ifndef IPSECCTL_JSON_H
#define IPSECCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* key is NULL at the top level and inside arrays. */
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* End a top-level value with a newline and flush (one object per line). */
void json_newline(struct json *j);
/* Write s as a JSON string literal, quotes included. */
void json_write_string(FILE *f, const char *s);

#endif /* IPSECCTL_JSON_H */
