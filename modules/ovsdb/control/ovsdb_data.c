/* SPDX-License-Identifier: BSD-3-Clause */
/* The OVSDB data notation (ovsdb_data.h). */
#include <string.h>

#include "ovsdb_data.h"

/* ["TAG", payload]: the payload, or NULL when datum is not tagged so. */
static json_t *
tagged(const json_t *datum, const char *tag)
{
	if (!json_is_array(datum) || json_array_size(datum) != 2 ||
	    !json_is_string(json_array_get(datum, 0)) ||
	    strcmp(json_string_value(json_array_get(datum, 0)), tag) != 0)
		return NULL;
	return json_array_get(datum, 1);
}

size_t
sl_ovsdb_set_size(const json_t *datum)
{
	json_t *elems;

	if (!datum)
		return 0;
	elems = tagged(datum, "set");
	if (elems)
		return json_is_array(elems) ? json_array_size(elems) : 0;
	return 1;
}

json_t *
sl_ovsdb_set_get(const json_t *datum, size_t i)
{
	json_t *elems = tagged(datum, "set");

	if (elems)
		return json_array_get(elems, i);
	return i == 0 ? (json_t *)datum : NULL;
}

bool
sl_ovsdb_uuid(const json_t *atom, char out[SL_OVSDB_UUID_LEN + 1])
{
	json_t *u = tagged(atom, "uuid");

	if (!json_is_string(u) || json_string_length(u) != SL_OVSDB_UUID_LEN)
		return false;
	memcpy(out, json_string_value(u), SL_OVSDB_UUID_LEN + 1);
	return true;
}

const char *
sl_ovsdb_string(const json_t *datum, const char *dflt)
{
	json_t *v = sl_ovsdb_set_size(datum) == 1 ? sl_ovsdb_set_get(datum, 0) : NULL;

	return json_is_string(v) ? json_string_value(v) : dflt;
}

bool
sl_ovsdb_integer(const json_t *datum, int64_t *out)
{
	json_t *v = sl_ovsdb_set_size(datum) == 1 ? sl_ovsdb_set_get(datum, 0) : NULL;

	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

bool
sl_ovsdb_bool(const json_t *datum, bool dflt)
{
	json_t *v = sl_ovsdb_set_size(datum) == 1 ? sl_ovsdb_set_get(datum, 0) : NULL;

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

const char *
sl_ovsdb_map_get(const json_t *datum, const char *key)
{
	json_t *pairs = tagged(datum, "map");
	json_t *pair;
	size_t i;

	json_array_foreach(pairs, i, pair) {
		json_t *k = json_array_get(pair, 0), *v = json_array_get(pair, 1);

		if (json_is_string(k) && json_is_string(v) &&
		    strcmp(json_string_value(k), key) == 0)
			return json_string_value(v);
	}
	return NULL;
}

json_t *
sl_ovsdb_uuid_atom(const char *uuid)
{
	return json_pack("[s, s]", "uuid", uuid);
}

json_t *
sl_ovsdb_empty_set(void)
{
	return json_pack("[s, []]", "set");
}

json_t *
sl_ovsdb_where_uuid(const char *uuid)
{
	return json_pack("[[s, s, o]]", "_uuid", "==", sl_ovsdb_uuid_atom(uuid));
}
