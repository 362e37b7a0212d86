/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "fakebackend.h"

#include <errno.h>

struct _FakeBackend
{
  GstAllocator parent;

  GstAllocCapabilities caps;
  GstAllocator *memfd;
  int open_errno;
  int alloc_errno;
  guint successes_left;
  guint open_calls;
  guint allocations;
};

static void fake_backend_iface_init (GstAllocBackendInterface * iface);

G_DEFINE_TYPE_WITH_CODE (FakeBackend, fake_backend, GST_TYPE_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND, fake_backend_iface_init));

static void
fake_get_capabilities (GstAllocBackend * backend, GstAllocCapabilities * caps)
{
  *caps = FAKE_BACKEND (backend)->caps;
}

static gboolean
fake_open (GstAllocBackend * backend, GError ** error)
{
  FakeBackend *self = FAKE_BACKEND (backend);

  self->open_calls++;
  if (self->open_errno) {
    g_set_error (error, G_FILE_ERROR,
        g_file_error_from_errno (self->open_errno), "/dev/fake/%s: %s",
        GST_OBJECT_NAME (self), g_strerror (self->open_errno));
    return FALSE;
  }
  return TRUE;
}

static GstMemory *
fake_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  FakeBackend *self = FAKE_BACKEND (backend);

  if (self->alloc_errno && self->successes_left == 0) {
    g_set_error (error, G_FILE_ERROR,
        g_file_error_from_errno (self->alloc_errno), "fake %s: %s",
        GST_OBJECT_NAME (self), g_strerror (self->alloc_errno));
    return NULL;
  }
  if (self->successes_left > 0)
    self->successes_left--;
  self->allocations++;
  return gst_alloc_backend_alloc (GST_ALLOC_BACKEND (self->memfd), size, name,
      error);
}

static void
fake_backend_iface_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = fake_get_capabilities;
  iface->open = fake_open;
  iface->alloc = fake_alloc;
}

static void
fake_backend_finalize (GObject * object)
{
  gst_object_unref (FAKE_BACKEND (object)->memfd);
  G_OBJECT_CLASS (fake_backend_parent_class)->finalize (object);
}

static void
fake_backend_class_init (FakeBackendClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_backend_finalize;
}

static void
fake_backend_init (FakeBackend * self)
{
  self->memfd = gst_alloc_memfd_allocator_new ();
}

GstAllocator *
fake_backend_new (const gchar * name, const GstAllocCapabilities * caps)
{
  FakeBackend *self = g_object_new (FAKE_TYPE_BACKEND, "name", name, NULL);

  self->caps = *caps;
  self->caps.heap = g_intern_string (caps->heap);
  return GST_ALLOCATOR (gst_object_ref_sink (self));
}

void
fake_backend_fail_open (FakeBackend * self, int errsv)
{
  self->open_errno = errsv;
}

void
fake_backend_fail_alloc_after (FakeBackend * self, guint successes, int errsv)
{
  self->successes_left = successes;
  self->alloc_errno = errsv;
}

guint
fake_backend_get_open_calls (FakeBackend * self)
{
  return self->open_calls;
}

guint
fake_backend_get_allocations (FakeBackend * self)
{
  return self->allocations;
}

FakeBackend *
fake_backend_add (GstAllocSolver * solver, const gchar * name,
    const GstAllocCapabilities * caps)
{
  GstAllocator *backend = fake_backend_new (name, caps);

  gst_alloc_solver_add_backend (solver, backend);
  gst_object_unref (backend);
  return FAKE_BACKEND (backend);
}
