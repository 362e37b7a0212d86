/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* What runs in a child process: returns the text to hand back to the test
 * (taken; NULL for none). It must not call fail_unless(): the child is not
 * the test, its result is. */
typedef gchar *(*TestChildBody) (gpointer data);

/* Runs @body in a forked child and returns its text, failing the test
 * unless the child exits normally. What the child changes for itself (its
 * fd limit, its user) stays there. */
gchar *test_in_child (TestChildBody body, gpointer data);

/* For a child: lowers the soft RLIMIT_NOFILE so that only @spare more file
 * descriptors can be opened (a few more if some are open above the new
 * limit). FALSE when the limit cannot be set. */
gboolean test_child_limit_fds (guint spare);

/* For a child: plays @pipeline until its first ERROR and returns
 * "<source>: <message>", or "EOS", or "timeout" after 20 s; then sets it
 * to NULL. */
gchar *test_child_first_error (GstElement * pipeline);

/* Plays the pipeline @description in a child whose fd limit leaves three to
 * spare (two for the GstPoll every GstBufferPool makes, one memfd) and
 * fails the test unless its first error, as test_child_first_error() gives
 * it, comes from the element named @source and mentions every one of
 * @words. */
void test_assert_first_error_with_few_fds (const gchar * description,
    const gchar * source, const gchar * const *words);

G_END_DECLS
