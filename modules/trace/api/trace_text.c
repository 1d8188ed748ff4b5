/* SPDX-License-Identifier: BSD-3-Clause */
/* A trace's answer for people: the verdict, a line a stage, a line an
 * output (sluicectl trace; --json prints the answer itself). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

void sl_trace_print(FILE *out, json_t *result);
void sl_trace_live_print(FILE *out, json_t *result);

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* an object's members as key=value, in its order */
static void
print_fields(FILE *out, json_t *fields)
{
	const char *key;
	json_t *v;

	json_object_foreach(fields, key, v) {
		if (json_is_string(v))
			fprintf(out, " %s=%s", key, json_string_value(v));
		else {
			char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

			fprintf(out, " %s=%s", key, text ? text : "?");
			free(text);
		}
	}
}

static void
print_stage(FILE *out, json_t *st)
{
	const char *stage = str(st, "stage");
	json_t *v;

	fprintf(out, "  %-8s %s", stage, str(st, "result"));
	if (json_object_get(st, "drop-reason"))
		fprintf(out, " (%s)", str(st, "drop-reason"));
	if ((v = json_object_get(st, "fields")))
		print_fields(out, v);
	if (!strcmp(stage, "ingress") && json_object_get(st, "network")) {
		fprintf(out, ": network %s", str(st, "network"));
		if ((v = json_object_get(st, "vlan-popped")))
			fprintf(out, ", VLAN %lld popped",
				(long long)json_integer_value(v));
		if ((v = json_object_get(st, "decapsulated"))) {
			fprintf(out, ", decapsulated from remote %s, inner:",
				str(v, "remote"));
			print_fields(out, json_object_get(v, "inner-fields"));
		}
	}
	if ((v = json_object_get(st, "flow"))) {
		if (json_is_null(v))
			fprintf(out, ": no flow");
		else
			fprintf(out, ": flow %s cookie=%s priority=%lld%s%s actions=%s",
				str(v, "bridge"), str(v, "cookie"),
				(long long)json_integer_value(json_object_get(v, "priority")),
				*str(v, "match") ? "," : "", str(v, "match"),
				str(v, "actions"));
	}
	if ((v = json_object_get(st, "fdb"))) {
		fprintf(out, ": %s", str(v, "decision"));
		if (json_object_get(v, "port"))
			fprintf(out, " to %s", str(v, "port"));
		if (json_is_true(json_object_get(v, "static")))
			fprintf(out, " (static: the VIF's MAC)");
		else if (json_object_get(v, "age-s"))
			fprintf(out, " (learned %lld s ago)", (long long)
				json_integer_value(json_object_get(v, "age-s")));
	}
	fputc('\n', out);
}

static void
print_output(FILE *out, json_t *o)
{
	json_t *v;

	fprintf(out, "  %s, %lld bytes", str(o, "port"),
		(long long)json_integer_value(json_object_get(o, "length")));
	if ((v = json_object_get(o, "bond")))
		fprintf(out, ", member of %s", json_string_value(v));
	if ((v = json_object_get(o, "vlan")))
		fprintf(out, ", VLAN %lld", (long long)json_integer_value(v));
	if ((v = json_object_get(o, "tunnel")))
		fprintf(out, ", %s %s -> %s", str(v, "protocol"),
			str(v, "outer-src"), str(v, "outer-dst"));
	fputc('\n', out);
}

void
sl_trace_print(FILE *out, json_t *result)
{
	json_t *v;
	size_t i;

	fprintf(out, "Frame of %lld bytes in on %s: %s\n",
		(long long)json_integer_value(json_object_get(result, "length")),
		str(result, "in-port"), str(result, "verdict"));
	json_array_foreach(json_object_get(result, "stages"), i, v)
		print_stage(out, v);
	if (json_array_size(json_object_get(result, "outputs"))) {
		fprintf(out, "Out:\n");
		json_array_foreach(json_object_get(result, "outputs"), i, v)
			print_output(out, v);
	}
	if ((v = json_object_get(result, "handed-to-control-thread")))
		fprintf(out, "Handed to the control thread (LACP, a tunnel endpoint's ARP or ping, a VLAN to discover): %lld\n",
			(long long)json_integer_value(v));
}

void
sl_trace_live_print(FILE *out, json_t *result)
{
	json_t *v;
	size_t i;

	fprintf(out, "Live trace %lld on %s%s%s: %lld of %lld packets traced, %lld filtered out, %s%s%s\n",
		(long long)json_integer_value(json_object_get(result, "id")),
		str(result, "port"), *str(result, "filter") ? ", filter " : "",
		str(result, "filter"),
		(long long)json_integer_value(json_object_get(result, "recorded")),
		(long long)json_integer_value(json_object_get(result, "count")),
		(long long)json_integer_value(json_object_get(result, "filtered")),
		str(result, "state"), *str(result, "reason") ? ": " : "",
		str(result, "reason"));
	json_array_foreach(json_object_get(result, "packets"), i, v) {
		fprintf(out, "\n#%zu ", i + 1);
		sl_trace_print(out, v);
	}
}
