// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "control.h"
#include "log.h"

int control_open(struct control *c, const char *path, control_cmd_fn cmd, void *arg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int ret;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		c->clients[i].fd = -1;
	c->cmd = cmd;
	c->arg = arg;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	strcpy(c->path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	unlink(path);
	old = umask(0177);	/* root-only from the first moment */
	ret = bind(c->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || chmod(path, 0600) || listen(c->fd, 4)) {
		ret = -errno;
		close(c->fd);
		c->fd = -1;
		return ret;
	}
	return 0;
}

static void drop_client(struct control_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	cl->len = 0;
}

void control_close(struct control *c)
{
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			drop_client(&c->clients[i]);
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->path);
	}
	c->fd = -1;
}

int control_pollfds(const struct control *c, struct pollfd *fds, int max)
{
	int n = 0;

	if (c->fd < 0 || max < 1)
		return 0;
	fds[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	for (int i = 0; i < CONTROL_MAX_CLIENTS && n < max; i++)
		if (c->clients[i].fd >= 0)
			fds[n++] = (struct pollfd){ .fd = c->clients[i].fd, .events = POLLIN };
	return n;
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

static void run_line(struct control *c, struct control_client *cl, char *line)
{
	char err[256] = "failed", *data = NULL;
	size_t dlen = 0;
	FILE *out = open_memstream(&data, &dlen);
	int ret;

	if (!out) {
		write_all(cl->fd, "ERR out of memory\n", 18);
		return;
	}
	line[strcspn(line, "\r")] = 0;
	ret = c->cmd(c->arg, line, out, err, sizeof(err));
	if (ret)
		fprintf(out, "ERR %s\n", err);
	else
		fprintf(out, "OK\n");
	fclose(out);
	write_all(cl->fd, data, dlen);
	free(data);
}

static void read_client(struct control *c, struct control_client *cl)
{
	ssize_t r = read(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len);
	char *nl;

	if (r <= 0) {
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		drop_client(cl);
		return;
	}
	cl->len += (size_t)r;
	cl->buf[cl->len] = 0;
	while (cl->fd >= 0 && (nl = memchr(cl->buf, '\n', cl->len))) {
		size_t used = (size_t)(nl - cl->buf) + 1;

		*nl = 0;
		run_line(c, cl, cl->buf);
		memmove(cl->buf, cl->buf + used, cl->len - used);
		cl->len -= used;
	}
	if (cl->fd >= 0 && cl->len >= sizeof(cl->buf) - 1) {
		write_all(cl->fd, "ERR line too long\n", 18);
		drop_client(cl);
	}
}

void control_handle(struct control *c, const struct pollfd *fds, int n)
{
	for (int k = 0; k < n; k++) {
		if (!fds[k].revents)
			continue;
		if (fds[k].fd == c->fd) {
			int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
			int i;

			if (fd < 0)
				continue;
			for (i = 0; i < CONTROL_MAX_CLIENTS && c->clients[i].fd >= 0; i++)
				;
			if (i == CONTROL_MAX_CLIENTS) {
				write_all(fd, "ERR too many clients\n", 21);
				close(fd);
				continue;
			}
			c->clients[i].fd = fd;
			c->clients[i].len = 0;
			continue;
		}
		for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
			if (c->clients[i].fd == fds[k].fd)
				read_client(c, &c->clients[i]);
	}
}
