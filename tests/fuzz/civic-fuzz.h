/* civic-fuzz.h
 *
 * What every fuzz target shares. A target is one function,
 * LLVMFuzzerTestOneInput(), built two ways (tests/fuzz/meson.build):
 * with clang's libFuzzer when the compiler has it, and otherwise with
 * fuzz-replay.c, a GTest program that runs the seed corpus and every
 * crash found so far once each (suite "unit", so also under ASan/UBSan).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The input as a NUL-terminated string (inputs may hold NULs and need not
 * be UTF-8: the code under test must cope with both). */
static inline char *
civic_fuzz_dup_string (const uint8_t *data,
                       size_t         size)
{
  char *s = g_malloc (size + 1);

  memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

/* A warning or critical from the code under test is a bug the fuzzer
 * must report: make them abort. Debug output stays off (it is slow). */
static inline void
civic_fuzz_init_logging (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&once, 1);
    }
}

G_END_DECLS
