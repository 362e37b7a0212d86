/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS
/* gst_parse_launch() that fails the test with the parser's message. */
    GstElement * test_launch (const gchar * description);

/* Plays @pipeline to EOS or an error and sets it to NULL; returns the error
 * message (the caller unrefs it) or NULL. Element messages are kept in
 * @messages when given. A pipeline silent for a minute fails the test as
 * hung. */
GstMessage *test_run (GstElement * pipeline, GPtrArray * messages);

/* A guint64 property of the element named @name in @pipeline. */
guint64 test_element_uint64 (GstElement * pipeline, const gchar * name,
    const gchar * property);

/* The pad @pad_name of the element named @element in @pipeline, owned by
 * that element (no reference returned). */
GObject *test_element_pad (GstElement * pipeline, const gchar * element,
    const gchar * pad_name);

/* A guint64 property of the pad @pad_name of the tee named "t" in
 * @pipeline (an alloctee branch: "copies", "views", ...). */
guint64 test_branch_uint64 (GstElement * pipeline, const gchar * pad_name,
    const gchar * property);

/* The last "alloctee-decision" structure among @messages (it is the one in
 * force), and its branch @index. */
const GstStructure *test_decision (GPtrArray * messages);

const GstStructure *test_decision_branch (const GstStructure * decision,
    guint index);

/* Fails the test unless the error @message (taken) says every word, in its
 * text or its debug detail. */
void test_assert_error_mentions (GstMessage * message,
    const gchar * const *words);

G_END_DECLS
