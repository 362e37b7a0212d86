/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The DRM ioctls both the device reader (gstallocdevice-drm.c) and the
 * dumb-buffer backend (gstallocdrmdumb-ops.c) issue, through
 * gst_alloc_ioctl() and its bounded EAGAIN retries. Built with libdrm
 * only, as both of them are; each caller says itself what a failure
 * means. */

#include <glib.h>

G_BEGIN_DECLS

/* DRM_IOCTL_GET_CAP of @capability on the DRM node @fd: TRUE and the value
 * in @value, or FALSE with errno set when the device does not answer. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_get_cap (int fd, guint64 capability, guint64 * value);

/* DRM_IOCTL_GEM_CLOSE of @handle on @fd; FALSE with errno set when it
 * fails. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_close_handle (int fd, guint32 handle);

G_END_DECLS
