/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CRC32-C over bytes at any address, with the same result as
 * rte_hash_crc(), which reads whole words and so wants them aligned: frame
 * bytes (a MAC at offset 6, data after a popped tag) often are not.
 */
#ifndef SL_CRC_H
#define SL_CRC_H

#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

static inline uint32_t
sl_crc32c(const void *data, uint32_t len, uint32_t crc)
{
	const uint8_t *p = data;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		crc = rte_hash_crc_8byte(v, crc);
	}
	if (len >= 4) {
		uint32_t v;

		memcpy(&v, p, sizeof(v));
		crc = rte_hash_crc_4byte(v, crc);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t v;

		memcpy(&v, p, sizeof(v));
		crc = rte_hash_crc_2byte(v, crc);
		p += 2;
		len -= 2;
	}
	if (len)
		crc = rte_hash_crc_1byte(*p, crc);
	return crc;
}

#endif
