/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* A backend for tests, injected through the public API: it claims whatever
 * capabilities the test gives it, can fail to open or to allocate with a
 * chosen errno, and otherwise hands out real memfd memory. */
#define FAKE_TYPE_BACKEND (fake_backend_get_type ())
G_DECLARE_FINAL_TYPE (FakeBackend, fake_backend, FAKE, BACKEND, GstAllocator)

GstAllocator *fake_backend_new (const gchar * name,
    const GstAllocCapabilities * caps);

void fake_backend_fail_open (FakeBackend * self, int errsv);

void fake_backend_fail_alloc_after (FakeBackend * self, guint successes,
    int errsv);

/* Adds a new fake backend to @solver, which holds the only reference;
 * returns it (transfer none) to steer and inspect. */
FakeBackend *fake_backend_add (GstAllocSolver * solver, const gchar * name,
    const GstAllocCapabilities * caps);

guint fake_backend_get_open_calls (FakeBackend * self);

guint fake_backend_get_allocations (FakeBackend * self);

G_END_DECLS
