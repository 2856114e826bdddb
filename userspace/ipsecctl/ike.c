// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl ike { list | up NAME | down NAME | reload }: ask ikev2d over its
 * control socket and print what it answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ike_proto.h"
#include "ipsecctl.h"

/* "up" answers before the exchange ends; nothing should take this long. */
#define IKE_TIMEOUT_SECS 30

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-S PATH] [-j] ike list\n"
		"       %s [-S PATH] ike up NAME\n"
		"       %s [-S PATH] ike down NAME\n"
		"       %s [-S PATH] ike reload\n"
		"Talks to ikev2d on PATH, else $IKEV2D_SOCKET, else %s.\n",
		prog, prog, prog, prog, IKE_SOCKET_DEFAULT);
}

static const char *socket_path(void)
{
	const char *env = getenv("IKEV2D_SOCKET");

	if (opts.ike_socket)
		return opts.ike_socket;
	return env && *env ? env : IKE_SOCKET_DEFAULT;
}

static int connect_daemon(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = IKE_TIMEOUT_SECS };
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "%s: ike: socket path too long: %s\n", prog, path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "%s: ike: socket: %s\n", prog, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	err = errno;
	close(fd);
	fprintf(stderr, "%s: ike: cannot connect to %s: %s\n", prog, path,
		strerror(err));
	if (err == ENOENT || err == ECONNREFUSED)
		fprintf(stderr, "%s: is ikev2d running? (-S PATH or IKEV2D_SOCKET name another socket)\n",
			prog);
	else if (err == EACCES || err == EPERM)
		fprintf(stderr, "%s: the control socket is root's only\n", prog);
	return -1;
}

static void print_reply_json(const char *cmd, const char *arg,
			     const struct ike_reply *r)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j, NULL);
	json_str(&j, "command", cmd);
	if (arg)
		json_str(&j, "name", arg);
	json_bool(&j, "ok", r->ok);
	if (!r->ok)
		json_str(&j, "error", r->err);
	json_arr_open(&j, "messages");
	for (size_t i = 0; i < r->n; i++)
		json_str(&j, NULL, r->lines[i]);
	json_arr_close(&j);
	json_obj_close(&j);
	json_newline(&j);
}

int ike_main(int argc, char **argv)
{
	char line[IKE_LINE_MAX + 2];
	struct ike_reply r;
	const char *path, *why;
	struct parse_error pe;
	int fd, bad, ret;
	FILE *f;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (ike_command(argc, argv, line, sizeof(line), &why, &bad)) {
		pe.argi = bad;
		snprintf(pe.msg, sizeof(pe.msg), "%s", why);
		report_parse_error("ike", argc, argv, &pe);
		usage(stderr);
		return EXIT_USAGE;
	}
	path = socket_path();
	fd = connect_daemon(path);
	if (fd < 0)
		return EXIT_KERNEL;
	f = fdopen(fd, "r+");
	if (!f) {
		close(fd);
		fprintf(stderr, "%s: ike: %s\n", prog, strerror(errno));
		return EXIT_KERNEL;
	}
	if (fputs(line, f) == EOF || fflush(f)) {
		fprintf(stderr, "%s: ike: cannot write to %s: %s\n", prog, path,
			strerror(errno));
		fclose(f);
		return EXIT_KERNEL;
	}
	ret = ike_read_reply(f, &r);
	fclose(f);
	if (ret) {
		fprintf(stderr, "%s: ike: %s\n", prog,
			ret == -EPROTO ? "ikev2d closed the connection without an answer" :
			ret == -EAGAIN ? "no answer from ikev2d (timed out)" :
			strerror(-ret));
		ike_reply_free(&r);
		return EXIT_KERNEL;
	}
	if (opts.json && !strcmp(argv[0], "list") && r.ok) {
		ike_list_json(stdout, r.lines, r.n);
	} else if (opts.json) {
		print_reply_json(argv[0], argc > 1 ? argv[1] : NULL, &r);
	} else {
		for (size_t i = 0; i < r.n; i++)
			printf("%s\n", r.lines[i]);
	}
	if (!r.ok)
		fprintf(stderr, "%s: ike %s: %s\n", prog, argv[0], r.err);
	ret = r.ok ? 0 : EXIT_KERNEL;
	ike_reply_free(&r);
	return ret;
}
