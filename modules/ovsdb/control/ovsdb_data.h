/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OVSDB data notation (RFC 7047 section 5.1) as jansson values: a set
 * of one is its element alone, an empty optional value is ["set", []], a
 * uuid is ["uuid", "..."], a map is ["map", [[key, value], ...]]. These
 * read a column's value without caring which form the server chose, and
 * build the values sluice writes.
 */
#ifndef SL_OVSDB_DATA_H
#define SL_OVSDB_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SL_OVSDB_UUID_LEN 36

/* Elements of a set (a lone atom is a set of one; NULL: none). */
size_t sl_ovsdb_set_size(const json_t *datum);
json_t *sl_ovsdb_set_get(const json_t *datum, size_t i);

/* The uuid of a ["uuid", "..."] atom into out; false if atom is not one. */
bool sl_ovsdb_uuid(const json_t *atom, char out[SL_OVSDB_UUID_LEN + 1]);

/* A column's value as one string, integer or boolean, if it holds one
 * (an optional column may hold none: the default is returned). */
const char *sl_ovsdb_string(const json_t *datum, const char *dflt);
bool sl_ovsdb_integer(const json_t *datum, int64_t *out);
bool sl_ovsdb_bool(const json_t *datum, bool dflt);

/* The value of key in a map column of strings, or NULL. */
const char *sl_ovsdb_map_get(const json_t *datum, const char *key);

/* Builders (new references). */
json_t *sl_ovsdb_uuid_atom(const char *uuid);
json_t *sl_ovsdb_empty_set(void);
/* [["_uuid", "==", ["uuid", uuid]]]: the where of one row. */
json_t *sl_ovsdb_where_uuid(const char *uuid);

#endif
