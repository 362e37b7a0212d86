/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* System-call helpers of the backends and the device readers. A leaf: only
 * GLib below it, nothing of the library above. */

#include <glib.h>

G_BEGIN_DECLS

/* Sets a G_FILE_ERROR with the code derived from @errsv and the message
 * "<format...>: <strerror (errsv)>". Backends start @format with their name
 * and the operation ("memfd: memfd_create"), so the message alone says who
 * failed, doing what, and why. */
G_GNUC_INTERNAL
void gst_alloc_set_errno_error (GError ** error, int errsv,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);

/* How often ioctl() is tried again after EAGAIN before giving up with it;
 * the waits between tries double from 1 ms (15 ms in all). */
#define GST_ALLOC_IOCTL_EAGAIN_RETRIES 4

/* ioctl(), tried again on EINTR (a signal arrived: nothing happened yet)
 * and up to GST_ALLOC_IOCTL_EAGAIN_RETRIES times on EAGAIN. On failure,
 * errno is that of the last try. */
G_GNUC_INTERNAL
int gst_alloc_ioctl (int fd, unsigned long request, void *arg);

G_END_DECLS
