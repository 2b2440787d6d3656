/* fuzz-stream-frame.c
 *
 * One WebSocket frame of the streaming API, decoded, and its payload
 * decoded again as the sync engine does for notifications.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-fuzz.h"
#include "civic-notification.h"
#include "civic-stream.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(CivicNotification) notification = NULL;

  civic_fuzz_init_logging ();

  if (!civic_stream_decode_frame ((const char *) data, size, &event, &payload, &error))
    {
      g_assert_nonnull (error);
      g_assert_null (event);
      g_assert_null (payload);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_true (g_utf8_validate (event, -1, NULL));

  if (payload != NULL && g_str_equal (event, "notification"))
    {
      notification = civic_notification_new_from_data (payload, -1, &error);
      g_assert_true ((notification == NULL) != (error == NULL));
    }

  return 0;
}
