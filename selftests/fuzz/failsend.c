// SPDX-License-Identifier: GPL-2.0
/*
 * failsend: UDP through nfsec's output path while failslab fails this
 * thread's kernel allocations (failslab.h).
 *
 *   failsend [-d SECONDS] ADDRESS PORT
 *
 * Locally generated packets are protected in the sender's own context
 * (nfsec steals them at LOCAL_OUT), so with failslab's task filter on and
 * this thread marked, the allocations of the whole output path fail now
 * and then: the socket's buffers, nfsec's copies, fragments, GSO segments
 * and crypto requests. The datagrams cycle through the shapes that take
 * different paths there: small, one MTU, larger than the MTU (fragmented
 * by nfsec before encryption) and UDP GSO (segmented by nfsec).
 *
 * Prints how many sends were tried and how many the kernel refused, once
 * unmarked. Exit status: 0, 1 on a setup error, 2 usage.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "failslab.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

static const size_t sizes[] = { 64, 1200, 3000, 12000 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-d SECONDS] ADDRESS PORT\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static char payload[16384];
	unsigned long tried = 0, refused = 0, seconds = 10;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	int opt, fd, ffd, gso = 1200;
	double end;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			usage(argv[0]);
		seconds = strtoul(optarg, NULL, 0);
	}
	if (argc - optind != 2)
		usage(argv[0]);
	if (getaddrinfo(argv[optind], argv[optind + 1], &hints, &ai)) {
		fprintf(stderr, "failsend: bad address %s\n", argv[optind]);
		return 1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("failsend: socket");
		return 1;
	}
	memset(payload, 0x5a, sizeof(payload));
	ffd = fail_open();
	if (ffd < 0 || mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("failsend: make-it-fail or mlockall");
		return 1;
	}
	end = now() + seconds;
	if (!fail_set(ffd, true)) {
		perror("failsend: make-it-fail");
		return 1;
	}
	while (now() < end) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t len = sizes[i];
			ssize_t n;

			/* The last shape is one GSO send of 10 segments. */
			if (len > 10000)
				setsockopt(fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso));
			n = send(fd, payload, len, 0);
			if (len > 10000)
				setsockopt(fd, SOL_UDP, UDP_SEGMENT, &(int){ 0 }, sizeof(int));
			tried++;
			/* ENOBUFS/ENOMEM: refused; ECONNREFUSED: an ICMP back. */
			if (n < 0)
				refused++;
		}
	}
	while (!fail_set(ffd, false))
		;
	printf("failsend: %lu sends, %lu refused\n", tried, refused);
	return 0;
}
