/* SPDX-License-Identifier: BSD-3-Clause */
/* Metric families in Prometheus's text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): HELP and
 * TYPE lines, then a line a sample. No library of Debian's writes it for
 * C; the format is a dozen lines of escaping, checked in the tests by the
 * real promtool and Prometheus server. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics.h"

/* s with '\\', '\n' and, in a label value, '"' escaped */
static void
put_escaped(FILE *f, const char *s, int quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && quote)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void
put_value(FILE *f, json_t *v)
{
	double d = json_real_value(v);

	if (json_is_integer(v))
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (isnan(d))
		fputs("NaN", f);
	else if (isinf(d))
		fputs(d > 0 ? "+Inf" : "-Inf", f);
	else
		fprintf(f, "%.15g", d);
}

static void
put_sample(FILE *f, const char *name, json_t *sample)
{
	json_t *labels = json_array_get(sample, 0), *v;
	const char *key;
	int first = 1;

	fputs(name, f);
	json_object_foreach(labels, key, v) {
		fprintf(f, "%s%s=\"", first ? "{" : ",", key);
		if (json_is_string(v))
			put_escaped(f, json_string_value(v), 1);
		else if (json_is_integer(v))
			fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		fputc('"', f);
		first = 0;
	}
	if (!first)
		fputc('}', f);
	fputc(' ', f);
	put_value(f, json_array_get(sample, 1));
	fputc('\n', f);
}

char *
sl_metrics_text(json_t *families, size_t *len)
{
	char *text = NULL;
	const char *name;
	json_t *fam, *s;
	size_t i;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	json_object_foreach(families, name, fam) {
		json_t *samples = json_object_get(fam, "samples");

		/* a family with no sample (no rule yet) is left out whole */
		if (!json_array_size(samples))
			continue;
		fprintf(f, "# HELP %s ", name);
		put_escaped(f, json_string_value(json_object_get(fam, "help")), 0);
		fprintf(f, "\n# TYPE %s %s\n", name,
			json_string_value(json_object_get(fam, "type")));
		json_array_foreach(samples, i, s)
			put_sample(f, name, s);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
