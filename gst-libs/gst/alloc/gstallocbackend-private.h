/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internals of the backend layer: the GstAllocator glue every backend
 * shares, the dma-buf base class's node handling, and each backend's
 * kernel operations. Each backend is a type file (GObject boilerplate,
 * capabilities, constructor: no kernel header) and an operations file that
 * meson picks: the one calling the kernel when its header was found, or a
 * -none.c stub whose open fails saying what the build lacked. */

#include <gst/alloc/gstallocbackends.h>
#include <gst/alloc/gstallocdrm.h>

#include "gstallocsyscall-private.h"

G_BEGIN_DECLS

/* The GstAllocator::alloc vfunc shared by every backend: honours
 * GstAllocationParams (prefix, padding, align up to a page) on top of
 * gst_alloc_backend_alloc(), so stock elements can use our allocators. A
 * request for physically contiguous memory from a backend whose memory is
 * not is refused, never flagged. */
G_GNUC_INTERNAL
GstMemory *gst_alloc_backend_allocator_alloc (GstAllocator * allocator,
    gsize size, GstAllocationParams * params);

/* Called by a backend's open() as it fails: advice logged once with the
 * failure (what to change so the device can be opened). @hint is copied. */
G_GNUC_INTERNAL
void gst_alloc_backend_set_open_hint (GstAllocBackend * backend,
    const gchar * hint);

/* The open() of a backend whose kernel support was not built: fails with
 * G_FILE_ERROR_NOSYS, "<name>: built without <missing>". */
G_GNUC_INTERNAL
gboolean gst_alloc_backend_open_unbuilt (GstAllocBackend * backend,
    const gchar * missing, GError ** error);

/* @size rounded up to a page, the granule of every backend; FALSE with
 * G_FILE_ERROR_NOMEM ("<name>: allocation of N bytes: ...") when that
 * overflows. */
G_GNUC_INTERNAL
gboolean gst_alloc_backend_page_round (GstAllocBackend * backend, gsize size,
    gsize * rounded, GError ** error);

/* @fd of @maxsize bytes as a GstMemory of @allocator (a GstFdAllocator) of
 * @size bytes, kept mapped; takes @fd, and closes it when that fails
 * ("<allocator>: wrapping <kind> fd N of M bytes ..."). */
G_GNUC_INTERNAL
GstMemory *gst_alloc_backend_wrap_fd (GstAllocator * allocator, int fd,
    gsize maxsize, gsize size, const gchar * kind, GError ** error);

/* ---- GstAllocDmabufAllocator: the device node of a dma-buf backend ---- */

/* Sets the node the backend allocates through, opened on first use with
 * @open_flags | O_CLOEXEC. Called once, by the subclass's constructor. */
G_GNUC_INTERNAL
void gst_alloc_dmabuf_allocator_set_node (GstAllocDmabufAllocator * self,
    const gchar * path, int open_flags);

/* Opens the node (GstAllocBackend.open calls it at most once); a failure
 * names the backend, the node and errno's text, and leaves a hint for the
 * log (who may open the node, or that its driver is missing). */
G_GNUC_INTERNAL
gboolean gst_alloc_dmabuf_allocator_open_node (GstAllocDmabufAllocator *
    self, GError ** error);

/* The open node, -1 before a successful open. Closed at finalize. */
G_GNUC_INTERNAL
int gst_alloc_dmabuf_allocator_get_fd (GstAllocDmabufAllocator * self);

/* Closes the node early: for an open() that fails after the node opened
 * (a device without what the backend needs). */
G_GNUC_INTERNAL
void gst_alloc_dmabuf_allocator_close_node (GstAllocDmabufAllocator * self);

/* Wraps a dma-buf fd (taking ownership: closed on failure too) of @maxsize
 * bytes, @size of them used, and names it @name where the kernel allows. */
G_GNUC_INTERNAL
GstMemory *gst_alloc_dmabuf_allocator_wrap (GstAllocDmabufAllocator * self,
    int fd, gsize maxsize, gsize size, const gchar * name, GError ** error);

/* ---- each backend's operations (the -ops.c or the -none.c file) ---- */

G_GNUC_INTERNAL
gboolean gst_alloc_dma_heap_open (GstAllocBackend * backend, GError ** error);

G_GNUC_INTERNAL
GstMemory *gst_alloc_dma_heap_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error);

G_GNUC_INTERNAL
gboolean gst_alloc_udmabuf_open (GstAllocBackend * backend, GError ** error);

G_GNUC_INTERNAL
GstMemory *gst_alloc_udmabuf_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error);

G_GNUC_INTERNAL
gboolean gst_alloc_drm_dumb_open (GstAllocBackend * backend, GError ** error);

G_GNUC_INTERNAL
GstMemory *gst_alloc_drm_dumb_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error);

G_GNUC_INTERNAL
gboolean gst_alloc_memfd_open (GstAllocBackend * backend, GError ** error);

G_GNUC_INTERNAL
GstMemory *gst_alloc_memfd_alloc (GstAllocBackend * backend, gsize size,
    const gchar * name, GError ** error);

/* A memfd of @size bytes (O_CLOEXEC) with @seals added (F_SEAL_*); -1 with
 * @error ("<who>: memfd_create: ...") otherwise. Built with memfd_create. */
G_GNUC_INTERNAL
int gst_alloc_sealed_memfd_new (const gchar * who, const gchar * name,
    gsize size, guint seals, GError ** error);

/* The DRM dumb backends of the default solver: one per /dev/dri/card*,
 * sorted. */
G_GNUC_INTERNAL
GPtrArray *gst_alloc_drm_dumb_default_backends (void);

G_END_DECLS
