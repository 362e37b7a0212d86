/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decides one ioctl() call: returns TRUE and sets *result (and errno) to
 * answer it, FALSE to let the real system call run. */
typedef gboolean (*FakeIoctlHandler) (int fd, unsigned long request,
    void *arg, int *result, gpointer user_data);

/* Linking fakeioctl.c into a test replaces ioctl() for the whole process:
 * the library (and libdrm) call ioctl() through the dynamic linker, which
 * finds the test executable's definition before libc's. Without a handler
 * every call goes to the kernel. */
void fake_ioctl_set_handler (FakeIoctlHandler handler, gpointer user_data);

/* How often @request was called since the handler was last set. */
guint fake_ioctl_get_calls (unsigned long request);

G_END_DECLS
