/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "fakeioctl.h"

#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_REQUESTS 32

static GMutex lock;
static FakeIoctlHandler current_handler;
static gpointer current_data;
static unsigned long requests[MAX_REQUESTS];
static guint calls[MAX_REQUESTS];

void
fake_ioctl_set_handler (FakeIoctlHandler handler, gpointer user_data)
{
  g_mutex_lock (&lock);
  current_handler = handler;
  current_data = user_data;
  memset (requests, 0, sizeof (requests));
  memset (calls, 0, sizeof (calls));
  g_mutex_unlock (&lock);
}

static void
count_call (unsigned long request)
{
  guint i;

  for (i = 0; i < MAX_REQUESTS; i++) {
    if (calls[i] == 0 || requests[i] == request) {
      requests[i] = request;
      calls[i]++;
      return;
    }
  }
}

guint
fake_ioctl_get_calls (unsigned long request)
{
  guint i, n = 0;

  g_mutex_lock (&lock);
  for (i = 0; i < MAX_REQUESTS && calls[i]; i++) {
    if (requests[i] == request)
      n = calls[i];
  }
  g_mutex_unlock (&lock);
  return n;
}

int
ioctl (int fd, unsigned long request, ...)
{
  FakeIoctlHandler handler;
  gpointer data;
  va_list args;
  void *arg;
  int result;

  va_start (args, request);
  arg = va_arg (args, void *);
  va_end (args);

  g_mutex_lock (&lock);
  handler = current_handler;
  data = current_data;
  if (handler)
    count_call (request);
  g_mutex_unlock (&lock);

  if (handler && handler (fd, request, arg, &result, data))
    return result;
  return syscall (SYS_ioctl, fd, request, arg);
}
