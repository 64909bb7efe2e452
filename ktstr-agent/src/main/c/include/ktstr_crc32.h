/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32 (IEEE 802.3, reflected, as zlib and java.util.zip.CRC32) of the wire payloads. */
#ifndef KTSTR_CRC32_H
#define KTSTR_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t ktstr_crc32(const void *data, size_t len);

#endif
