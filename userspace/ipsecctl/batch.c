// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl -b FILE: one command a line, as ip -batch does, so that
 * thousands of SAs or policies cost one process instead of one each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsecctl.h"

int batch_run(const char *file, int (*run)(int argc, char **argv))
{
	bool is_stdin = !strcmp(file, "-");
	const char *name = is_stdin ? "<stdin>" : file;
	char *line = NULL, *argv[BATCH_MAX_WORDS];
	unsigned int lineno = 0;
	size_t cap = 0;
	int ret = 0, argc;
	FILE *f;

	f = is_stdin ? stdin : fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = split_words(line, argv, BATCH_MAX_WORDS);
		if (argc < 0) {
			if (argc == -1)
				fprintf(stderr, "%s: %s:%u: more than %d words\n",
					prog, name, lineno, BATCH_MAX_WORDS);
			else
				fprintf(stderr, "%s: %s:%u: a quote is not closed\n",
					prog, name, lineno);
			ret = EXIT_USAGE;
			break;
		}
		if (!argc)
			continue;
		ret = run(argc, argv);
		if (ret) {
			/* The command said why; say where, and stop there. */
			fprintf(stderr, "%s: %s:%u: command failed, stopping\n",
				prog, name, lineno);
			break;
		}
	}
	/* Keys may have been on the line. */
	if (line)
		explicit_bzero(line, cap);
	free(line);
	if (!is_stdin)
		fclose(f);
	return ret;
}
