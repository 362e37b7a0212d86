/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How every element of ours refuses a bad property value: an error on the
 * next state change when stopped, a bus warning when running, the old
 * value kept in both cases. */

#include "refusals.h"

#include <gst/check/gstcheck.h>
#include <string.h>

void
test_assert_mentions (const gchar * text, const gchar * const *words)
{
  for (; *words; words++)
    fail_unless (strstr (text, *words) != NULL, "'%s' not in: %s", *words,
        text);
}

void
test_assert_pending_warning_mentions (GstBus * bus, const gchar * const *words)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  GError *err = NULL;

  fail_unless (msg != NULL, "no warning posted");
  gst_message_parse_warning (msg, &err, NULL);
  test_assert_mentions (err->message, words);
  g_error_free (err);
  gst_message_unref (msg);
}

static gchar *
get_string (GstElement * element, const gchar * property)
{
  gchar *value = NULL;

  g_object_get (element, property, &value, NULL);
  return value;
}

/* The message of the first @type on @bus from @element, waiting up to 10 s;
 * fails the test when none comes. */
static gchar *
pop_text (GstBus * bus, GstMessageType type, GstElement * element)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, type);
  GError *err = NULL;
  gchar *text;

  fail_unless (msg != NULL, "no %s posted", gst_message_type_get_name (type));
  if (type == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &err, NULL);
  else
    gst_message_parse_warning (msg, &err, NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (element),
      "%s from %s, not %s: %s", gst_message_type_get_name (type),
      GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), GST_OBJECT_NAME (element),
      err->message);
  text = g_strdup (err->message);
  g_error_free (err);
  gst_message_unref (msg);
  return text;
}

void
test_assert_refused_when_stopped (GstElement * top, GstElement * element,
    const gchar * property, const gchar * bad, const gchar * good,
    const gchar * const *words)
{
  GstBus *bus = gst_element_get_bus (top);
  gchar *before = get_string (element, property), *after, *text;

  g_object_set (element, property, bad, NULL);
  after = get_string (element, property);
  fail_unless_equals_string (after, before);
  fail_unless_equals_int (gst_element_set_state (top, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  text = pop_text (bus, GST_MESSAGE_ERROR, element);
  test_assert_mentions (text, words);
  gst_element_set_state (top, GST_STATE_NULL);

  g_object_set (element, property, good, NULL);
  fail_unless_equals_int (gst_element_set_state (top, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (top, GST_STATE_NULL);
  g_free (text);
  g_free (after);
  g_free (before);
  gst_object_unref (bus);
}

void
test_assert_refused_when_playing (GstElement * top, GstElement * element,
    const gchar * property, const gchar * bad, const gchar * const *words)
{
  GstBus *bus = gst_element_get_bus (top);
  GstMessage *error;
  gchar *before, *after, *text;

  fail_unless (gst_element_set_state (top, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (top, NULL, NULL,
          10 * GST_SECOND), GST_STATE_CHANGE_SUCCESS);
  before = get_string (element, property);
  g_object_set (element, property, bad, NULL);
  text = pop_text (bus, GST_MESSAGE_WARNING, element);
  test_assert_mentions (text, words);
  after = get_string (element, property);
  fail_unless_equals_string (after, before);
  error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (error == NULL, "an error was posted");
  gst_element_set_state (top, GST_STATE_NULL);
  g_free (text);
  g_free (after);
  g_free (before);
  gst_object_unref (bus);
}

void
test_assert_lone_refused_when_stopped (GstElement * element,
    const gchar * property, const gchar * bad, const gchar * good,
    const gchar * const *words)
{
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (element, bus);
  test_assert_refused_when_stopped (element, element, property, bad, good,
      words);
  /* Flushing drops the messages left, which hold the element. */
  gst_bus_set_flushing (bus, TRUE);
  gst_element_set_bus (element, NULL);
  gst_object_unref (bus);
}
