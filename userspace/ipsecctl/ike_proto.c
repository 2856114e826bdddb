// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The client side of the ikev2d control protocol: command lines, replies,
 * and the "list" lines as JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_proto.h"

/* A connection name travels as one word of one line. */
static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

int ike_command(int argc, char **argv, char *buf, size_t len,
		const char **why, int *bad)
{
	bool takes_name;

	*bad = -1;
	if (!argc) {
		*why = "expected list, up NAME, down NAME or reload";
		return -1;
	}
	if (!strcmp(argv[0], "list") || !strcmp(argv[0], "reload")) {
		takes_name = false;
	} else if (!strcmp(argv[0], "up") || !strcmp(argv[0], "down")) {
		takes_name = true;
	} else {
		*bad = 0;
		*why = "unknown ike command; expected list, up NAME, down NAME or reload";
		return -1;
	}
	if (takes_name && argc < 2) {
		*bad = 0;
		*why = "needs the NAME of a connection";
		return -1;
	}
	if (argc > (takes_name ? 2 : 1)) {
		*bad = takes_name ? 2 : 1;
		*why = "unexpected word";
		return -1;
	}
	if (takes_name && !name_ok(argv[1])) {
		*bad = 1;
		*why = "a connection name is one word of printable characters";
		return -1;
	}
	if ((size_t)snprintf(buf, len, "%s%s%s\n", argv[0], takes_name ? " " : "",
			     takes_name ? argv[1] : "") >= len ||
	    strlen(buf) > IKE_LINE_MAX) {
		*bad = 1;
		*why = "too long for the control protocol (511 bytes a line)";
		return -1;
	}
	return 0;
}

int ike_read_reply(FILE *f, struct ike_reply *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(r, 0, sizeof(*r));
	while ((len = getline(&line, &cap, f)) >= 0) {
		char **v;

		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!strcmp(line, "OK")) {
			r->ok = true;
			free(line);
			return 0;
		}
		if (!strncmp(line, "ERR", 3) && (!line[3] || line[3] == ' ')) {
			snprintf(r->err, sizeof(r->err), "%s",
				 line[3] ? line + 4 : "failed");
			free(line);
			return 0;
		}
		v = realloc(r->lines, (r->n + 1) * sizeof(*v));
		if (!v || !(v[r->n] = strdup(line))) {
			if (v)
				r->lines = v;
			free(line);
			return -ENOMEM;
		}
		r->lines = v;
		r->n++;
	}
	free(line);
	return ferror(f) ? -(errno ? errno : EIO) : -EPROTO;
}

void ike_reply_free(struct ike_reply *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

#define MAX_WORDS 64

/* "NAME[ID]": the name and the id, as strings. */
static void name_id(struct json *j, char *w)
{
	char *open = strrchr(w, '['), *end;
	unsigned long id;

	if (open && (end = strchr(open, ']')) && end[1] == '\0') {
		*open = '\0';
		*end = '\0';
		json_str(j, "name", w);
		id = strtoul(open + 1, &end, 10);
		if (!*end)
			json_u64(j, "id", id);
		return;
	}
	json_str(j, "name", w);
}

/* "10.0.0.1:500", "[2001:db8::1]:500" or "2001:db8::1:500". */
static void endpoint(struct json *j, const char *key, char *w)
{
	char *colon = strrchr(w, ':');
	unsigned long port;
	char *end;

	json_obj_open(j, key);
	if (colon) {
		port = strtoul(colon + 1, &end, 10);
		if (!*end && colon[1]) {
			*colon = '\0';
			if (w[0] == '[' && colon[-1] == ']') {
				colon[-1] = '\0';
				w++;
			}
			json_str(j, "addr", w);
			json_u64(j, "port", port);
			json_obj_close(j);
			return;
		}
	}
	json_str(j, "addr", w);
	json_obj_close(j);
}

/* "8c1e4f0a9b2d3c4e_i*": the SPI, and whether it is ours. */
static void spi_word(struct json *j, const char *key, char *w)
{
	size_t len = strlen(w);
	bool ours = len && w[len - 1] == '*';
	char *us;

	if (ours)
		w[--len] = '\0';
	us = strrchr(w, '_');
	if (us)
		*us = '\0';
	json_obj_open(j, key);
	json_str(j, "spi", w);
	if (ours)
		json_bool(j, "ours", true);
	json_obj_close(j);
}

/* "10.1.0.0/24,10.3.0.0/24" as an array. */
static void ts_list(struct json *j, const char *key, char *w)
{
	char *save = NULL;

	json_arr_open(j, key);
	for (char *t = strtok_r(w, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_str(j, NULL, t);
	json_arr_close(j);
}

/* The members of one "ike ..." or "child ..." line. */
static void line_members(struct json *j, char **w, int n, bool ike)
{
	int i;

	name_id(j, w[1]);
	if (n > 2)
		json_str(j, "state", w[2]);
	if (n > 3)
		json_str(j, ike ? "role" : "mode", w[3]);
	for (i = 4; i < n;) {
		const char *k = w[i];

		if ((!strcmp(k, "local") || !strcmp(k, "remote")) && i + 1 < n) {
			if (ike)
				endpoint(j, k, w[i + 1]);
			else
				ts_list(j, k, w[i + 1]);
			i += 2;
		} else if (!strcmp(k, "spis") && i + 2 < n) {
			spi_word(j, ike ? "spi_i" : "spi_in", w[i + 1]);
			spi_word(j, ike ? "spi_r" : "spi_out", w[i + 2]);
			i += 3;
		} else if ((!strcmp(k, "ike") || !strcmp(k, "esp")) && i + 1 < n) {
			json_str(j, "algorithms", w[i + 1]);
			i += 2;
		} else if (!strcmp(k, "established") && i + 1 < n) {
			/* "established 3s ago" or "established 3 s ago" */
			char *end;
			unsigned long long s = strtoull(w[i + 1], &end, 10);

			if (end != w[i + 1] && (!strcmp(end, "s") || !*end))
				json_u64(j, "established_seconds_ago", s);
			i += 2;
			if (i < n && !strcmp(w[i], "s"))
				i++;
			if (i < n && !strcmp(w[i], "ago"))
				i++;
		} else if (ike && !strcmp(k, "mobike")) {
			json_bool(j, "mobike", true);	/* RFC 4555 negotiated */
			i++;
		} else {
			i++;	/* a field this ipsecctl does not know */
		}
	}
}

void ike_list_json(FILE *f, char *const *lines, size_t n)
{
	bool in_ike = false;
	struct json j;

	json_init(&j, f);
	for (size_t l = 0; l < n; l++) {
		char *copy = strdup(lines[l]), *w[MAX_WORDS], *save = NULL;
		bool ike;
		int nw = 0;

		if (!copy)
			break;
		for (char *t = strtok_r(copy, " ", &save); t && nw < MAX_WORDS;
		     t = strtok_r(NULL, " ", &save))
			w[nw++] = t;
		if (nw < 2 || (strcmp(w[0], "ike") && strcmp(w[0], "child"))) {
			free(copy);
			continue;
		}
		ike = !strcmp(w[0], "ike");
		if (ike || !in_ike) {
			if (in_ike) {
				json_arr_close(&j);
				json_obj_close(&j);
				json_newline(&j);
			}
			json_obj_open(&j, NULL);
			if (ike) {
				line_members(&j, w, nw, true);
			} else {
				/* A Child SA without its IKE SA line. */
				name_id(&j, w[1]);
			}
			json_arr_open(&j, "children");
			in_ike = true;
		}
		if (!ike) {
			json_obj_open(&j, NULL);
			line_members(&j, w, nw, false);
			json_obj_close(&j);
		}
		free(copy);
	}
	if (in_ike) {
		json_arr_close(&j);
		json_obj_close(&j);
		json_newline(&j);
	}
}
