/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Fails the test unless @text contains every one of @words. */
void test_assert_mentions (const gchar * text, const gchar * const *words);

/* Fails the test unless a WARNING is waiting on @bus and the first one
 * mentions every one of @words. */
void test_assert_pending_warning_mentions (GstBus * bus,
    const gchar * const *words);

/* Sets @element's @property to @bad while @element (or the pipeline holding
 * it) is in NULL and asserts the loud refusal: the value stays what it
 * was, the state change to READY fails, and the ERROR posted comes from
 * @element and mentions every one of @words. Then sets @good and asserts
 * that the state change succeeds. @element is left in NULL. */
void test_assert_refused_when_stopped (GstElement * top, GstElement * element,
    const gchar * property, const gchar * bad, const gchar * good,
    const gchar * const *words);

/* Plays @top, sets @element's @property to @bad once it is PLAYING and
 * asserts the loud refusal: a WARNING from @element mentioning every one
 * of @words, no ERROR, and the value as it was. @top is left in NULL. */
void test_assert_refused_when_playing (GstElement * top, GstElement * element,
    const gchar * property, const gchar * bad, const gchar * const *words);

/* test_assert_refused_when_stopped() for an element on its own, which has
 * no bus: gives it one for the assertions, then takes it away. */
void test_assert_lone_refused_when_stopped (GstElement * element,
    const gchar * property, const gchar * bad, const gchar * good,
    const gchar * const *words);

G_END_DECLS
