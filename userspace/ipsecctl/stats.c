// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl stats: per-direction verdict counters, drops by reason, SPD
 * cache hits and misses per CPU, and ACQUIRE counters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ipsecctl.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j] stats\n", prog);
}

static const char *reason_name(unsigned int r, char *buf, size_t len)
{
	if (r < __NFSEC_DROP_MAX)
		return nfsec_drop_reason_name(r);
	snprintf(buf, len, "reason-%u", r);
	return buf;
}

static void print_json(const struct ctl_stats *s)
{
	uint64_t hits = 0, misses = 0;
	struct json j;
	char buf[32];

	json_init(&j, stdout);
	json_obj_open(&j, NULL);
	json_obj_open(&j, "dir");
	for (unsigned int d = 0; d < __NFSEC_DIR_MAX; d++) {
		if (!s->dir[d].present)
			continue;
		json_obj_open(&j, nfsec_dir_name(d));
		json_u64(&j, "bypass", s->dir[d].bypass);
		json_u64(&j, "discard", s->dir[d].discard);
		json_u64(&j, "protect", s->dir[d].protect);
		json_u64(&j, "nomatch", s->dir[d].nomatch);
		json_obj_close(&j);
	}
	json_obj_close(&j);
	json_obj_open(&j, "drops");
	for (unsigned int r = 0; r < CTL_STATS_MAX_REASON; r++)
		if (s->drop[r].present)
			json_u64(&j, reason_name(r, buf, sizeof(buf)),
				 s->drop[r].packets);
	json_obj_close(&j);
	json_arr_open(&j, "cpu");
	for (size_t i = 0; i < s->ncpu; i++) {
		json_obj_open(&j, NULL);
		json_u64(&j, "cpu", s->cpu[i].cpu);
		json_u64(&j, "cache_hits", s->cpu[i].hits);
		json_u64(&j, "cache_misses", s->cpu[i].misses);
		json_obj_close(&j);
		hits += s->cpu[i].hits;
		misses += s->cpu[i].misses;
	}
	json_arr_close(&j);
	json_u64(&j, "cache_hits", hits);
	json_u64(&j, "cache_misses", misses);
	if (s->has_policies)
		json_u64(&j, "policies", s->policies);
	if (s->has_generation)
		json_u64(&j, "generation", s->generation);
	if (s->has_acquires)
		json_u64(&j, "acquires", s->acquires);
	if (s->has_suppressed)
		json_u64(&j, "acquires_suppressed", s->suppressed);
	if (s->has_larval)
		json_u64(&j, "larval", s->larval);
	json_obj_close(&j);
	json_newline(&j);
}

static void print_human(const struct ctl_stats *s)
{
	uint64_t hits = 0, misses = 0;
	struct table t;
	char buf[32];
	long row;

	table_init(&t, 5);
	row = table_add_row(&t);
	table_set(&t, row, 0, "dir");
	table_set(&t, row, 1, "bypass");
	table_set(&t, row, 2, "discard");
	table_set(&t, row, 3, "protect");
	table_set(&t, row, 4, "nomatch");
	for (unsigned int d = 0; d < __NFSEC_DIR_MAX; d++) {
		if (!s->dir[d].present)
			continue;
		row = table_add_row(&t);
		table_set(&t, row, 0, "%s", nfsec_dir_name(d));
		table_set(&t, row, 1, "%" PRIu64, s->dir[d].bypass);
		table_set(&t, row, 2, "%" PRIu64, s->dir[d].discard);
		table_set(&t, row, 3, "%" PRIu64, s->dir[d].protect);
		table_set(&t, row, 4, "%" PRIu64, s->dir[d].nomatch);
	}
	table_print(&t, stdout);
	table_free(&t);

	printf("\ndrops:");
	for (unsigned int r = 0; r < CTL_STATS_MAX_REASON; r++)
		if (s->drop[r].present)
			printf(" %s %" PRIu64, reason_name(r, buf, sizeof(buf)),
			       s->drop[r].packets);
	printf("\n\n");

	table_init(&t, 3);
	row = table_add_row(&t);
	table_set(&t, row, 0, "cpu");
	table_set(&t, row, 1, "cache-hits");
	table_set(&t, row, 2, "cache-misses");
	for (size_t i = 0; i < s->ncpu; i++) {
		row = table_add_row(&t);
		table_set(&t, row, 0, "%u", s->cpu[i].cpu);
		table_set(&t, row, 1, "%" PRIu64, s->cpu[i].hits);
		table_set(&t, row, 2, "%" PRIu64, s->cpu[i].misses);
		hits += s->cpu[i].hits;
		misses += s->cpu[i].misses;
	}
	row = table_add_row(&t);
	table_set(&t, row, 0, "all");
	table_set(&t, row, 1, "%" PRIu64, hits);
	table_set(&t, row, 2, "%" PRIu64, misses);
	table_print(&t, stdout);
	table_free(&t);
	if (hits + misses)
		printf("cache hit rate %.1f%%\n",
		       100.0 * (double)hits / (double)(hits + misses));

	if (!(s->has_policies || s->has_generation || s->has_acquires ||
	      s->has_suppressed || s->has_larval))
		return;
	putchar('\n');
	row = 0;
	if (s->has_policies)
		printf("%spolicies %u", row++ ? "  " : "", s->policies);
	if (s->has_generation)
		printf("%sgeneration %u", row++ ? "  " : "", s->generation);
	if (s->has_acquires)
		printf("%sacquires %" PRIu64, row++ ? "  " : "", s->acquires);
	if (s->has_suppressed)
		printf("%sacquires-suppressed %" PRIu64, row++ ? "  " : "",
		       s->suppressed);
	if (s->has_larval)
		printf("%slarval %u", row++ ? "  " : "", s->larval);
	putchar('\n');
}

int stats_main(int argc, char **argv)
{
	struct ctl_stats s;
	struct nfsec_nl *nl;
	struct ipc_err e;
	int ret;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (argc) {
		fprintf(stderr, "%s: stats: unexpected \"%s\"\n", prog, argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	nl = ctl_open("stats");
	if (!nl)
		return EXIT_KERNEL;
	ret = ipc_stats(nl, &s, &e);
	ctl_close(nl);
	if (ret) {
		report_ipc_error("stats", &e);
		ctl_stats_free(&s);
		return EXIT_KERNEL;
	}
	if (opts.json)
		print_json(&s);
	else
		print_human(&s);
	ctl_stats_free(&s);
	return 0;
}
