/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running part of a test in a child process, for what must not leak into
 * the rest of the suite: a lowered fd limit, a dropped privilege. */

#include "child.h"
#include "refusals.h"

#include <gst/check/gstcheck.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void
write_all (int fd, const gchar * text)
{
  gsize done = 0, len = strlen (text);
  gssize n;

  while (done < len) {
    n = write (fd, text + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += n;
  }
}

static gchar *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  gchar chunk[256];
  gssize n;

  while ((n = read (fd, chunk, sizeof (chunk))) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    g_string_append_len (text, chunk, n);
  }
  return g_string_free (text, FALSE);
}

gchar *
test_in_child (TestChildBody body, gpointer data)
{
  int fds[2], status = 0;
  gchar *result;
  pid_t pid;

  fail_unless (pipe (fds) == 0, "pipe: %s", g_strerror (errno));
  pid = fork ();
  fail_unless (pid >= 0, "fork: %s", g_strerror (errno));
  if (pid == 0) {
    close (fds[0]);
    result = body (data);
    if (result)
      write_all (fds[1], result);
    /* Not exit(): the test framework's handlers belong to the parent. */
    _exit (0);
  }
  close (fds[1]);
  result = read_all (fds[0]);
  close (fds[0]);
  fail_unless (waitpid (pid, &status, 0) == pid, "waitpid: %s",
      g_strerror (errno));
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "the child failed (status 0x%x) after writing \"%s\"", status, result);
  return result;
}

gboolean
test_child_limit_fds (guint spare)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  struct rlimit limit;
  guint open_fds = 0;

  if (!dir)
    return FALSE;
  while (g_dir_read_name (dir))
    open_fds++;
  g_dir_close (dir);
  /* The directory's own descriptor was counted and is closed now. */
  open_fds--;
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return FALSE;
  limit.rlim_cur = open_fds + spare;
  return setrlimit (RLIMIT_NOFILE, &limit) == 0;
}

gchar *
test_child_first_error (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *text;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (!msg) {
    text = g_strdup ("timeout");
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    text = g_strdup_printf ("%s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
        err->message);
    g_error_free (err);
  } else {
    text = g_strdup ("EOS");
  }
  if (msg)
    gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return text;
}

static gchar *
play_with_few_fds (gpointer description)
{
  GstElement *pipeline = gst_parse_launch (description, NULL);
  gchar *text;

  if (!test_child_limit_fds (3))
    return g_strdup ("cannot lower the fd limit");
  text = test_child_first_error (pipeline);
  gst_object_unref (pipeline);
  return text;
}

void
test_assert_first_error_with_few_fds (const gchar * description,
    const gchar * source, const gchar * const *words)
{
  gchar *text = test_in_child (play_with_few_fds, (gpointer) description);
  gchar *prefix = g_strdup_printf ("%s: ", source);

  fail_unless (g_str_has_prefix (text, prefix), "%s", text);
  test_assert_mentions (text, words);
  g_free (prefix);
  g_free (text);
}
