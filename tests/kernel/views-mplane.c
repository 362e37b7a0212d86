/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Views on the real kernel (issue 13), inside the VM as root:
 *
 *   views-mplane FRAMES
 *
 * videotestsrc (NV16 640x480, a moving ball) feeds alloctee with two
 * consumers: allocdrmimportsink on vgem, which wants one memory per buffer
 * (planes=single), and a multi-planar consumer, vivid's multi-planar
 * output device (vivid multiplanar=2, NV16M), which wants one memory per
 * plane. The tee's buffers come from the system DMA heap, one memory
 * each; the multi-planar branch gets views: two memories on the same
 * dma-buf, at their plane offsets. This program is that consumer: it
 * queues each view to the device (VIDIOC_QBUF, V4L2_MEMORY_DMABUF, the
 * same fd for both planes with each plane's data_offset) and dequeues it.
 *
 * Stock v4l2sink cannot be that consumer on GStreamer 1.22: at QBUF it
 * sets a plane's bytesused to its memory's size without the data_offset,
 * and vb2 refuses a data_offset not below bytesused (EINVAL, "plane
 * parameters verification failed").
 *
 * Checked: every frame reaches both consumers; the views are two memories
 * on the dma-buf the other consumer imports (the same inode), exported by
 * the system heap; the device takes every view; the pixels each consumer
 * gets, read from the fd at the offsets it is given (mmap, bracketed by
 * DMA_BUF_IOCTL_SYNC), hash as the producer's frame does, and so do the
 * views mapped by GStreamer, each map syncing the shared fd (counted by
 * tests/check/common/fakeioctl.c, which lets every call through); the
 * decision names the view; alloctee counts views, no copy. Prints "ok:"/"not ok:"
 * lines and a GstCheck-style "Checks:" line; exits 77 without the
 * devices. The copy tracer's report is checked by views.sh. */

#include <gst/gst.h>
#include <gst/alloc/alloc.h>
#include <gst/allocators/allocators.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "fakeioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/videodev2.h>

#define WIDTH 640
#define HEIGHT 480
#define SLOTS 4

typedef struct
{
  GMutex lock;
  GHashTable *reference;        /* pts -> hash of the producer's frame */
  GHashTable *drm;              /* pts -> hash the DRM consumer's fd gives */
  GHashTable *drm_inode;        /* pts -> inode of its dma-buf */
  GstVideoInfo info;
  guint checks, failures;
} Run;

static void
check (Run * run, gboolean ok, const gchar * format, ...)
{
  va_list args;
  gchar *what;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  run->checks++;
  run->failures += !ok;
  g_print ("%s: %s\n", ok ? "ok" : "not ok", what);
  g_free (what);
}

static guint64
fnv (guint64 hash, const guint8 * data, gsize size)
{
  gsize i;

  for (i = 0; i < size; i++)
    hash = (hash ^ data[i]) * 0x100000001b3ULL;
  return hash;
}

/* Bytes of visible pixels in one row of plane @p, and its rows. */
static void
plane_extent (const GstVideoInfo * info, guint p, gsize * row, guint * rows)
{
  gint comp[GST_VIDEO_MAX_COMPONENTS];

  gst_video_format_info_component (info->finfo, p, comp);
  *row = (gsize) GST_VIDEO_INFO_COMP_WIDTH (info, comp[0])
      * GST_VIDEO_INFO_COMP_PSTRIDE (info, comp[0]);
  *rows = GST_VIDEO_INFO_COMP_HEIGHT (info, comp[0]);
}

/* The producer's frame, as GStreamer maps it. */
static guint64
hash_frame (GstBuffer * buffer, const GstVideoInfo * info)
{
  guint64 hash = 0xcbf29ce484222325ULL;
  GstVideoFrame frame;
  guint p, r, rows;
  gsize row;

  if (!gst_video_frame_map (&frame, (GstVideoInfo *) info, buffer,
          GST_MAP_READ))
    return 0;
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    plane_extent (info, p, &row, &rows);
    for (r = 0; r < rows; r++)
      hash = fnv (hash, (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, p)
          + (gsize) r * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p), row);
  }
  gst_video_frame_unmap (&frame);
  return hash;
}

static void
sync_dmabuf (int fd, guint64 flags)
{
  struct dma_buf_sync sync = { flags | DMA_BUF_SYNC_READ };

  while (ioctl (fd, DMA_BUF_IOCTL_SYNC, &sync) < 0 && errno == EINTR);
}

/* The pixels a device given each plane's (fd, offset) reads, through the
 * buffer's GstVideoMeta strides: mmap of the dma-buf itself. */
static guint64
hash_from_fds (GstBuffer * buffer, const GstVideoInfo * info)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  guint64 hash = 0xcbf29ce484222325ULL;
  guint p, r, rows, idx, length;
  gsize row, skip, at;
  GstMemory *mem;
  guint8 *data;
  int fd;

  for (p = 0; meta && p < meta->n_planes; p++) {
    if (!gst_buffer_find_memory (buffer, meta->offset[p], 1, &idx, &length,
            &skip))
      return 0;
    mem = gst_buffer_peek_memory (buffer, idx);
    if (!gst_is_dmabuf_memory (mem))
      return 0;
    fd = gst_dmabuf_memory_get_fd (mem);
    at = mem->offset + skip;
    data = mmap (NULL, mem->maxsize, PROT_READ, MAP_SHARED, fd, 0);
    if (data == MAP_FAILED)
      return 0;
    sync_dmabuf (fd, DMA_BUF_SYNC_START);
    plane_extent (info, p, &row, &rows);
    for (r = 0; r < rows; r++)
      hash = fnv (hash, data + at + (gsize) r * meta->stride[p], row);
    sync_dmabuf (fd, DMA_BUF_SYNC_END);
    munmap (data, mem->maxsize);
  }
  return meta ? hash : 0;
}

static guint64
inode_of (GstMemory * mem)
{
  struct stat st = { 0, };

  if (gst_is_fd_memory (mem))
    fstat (gst_fd_memory_get_fd (mem), &st);
  return st.st_ino;
}

static void
remember (Run * run, GHashTable * table, GstBuffer * buffer, guint64 value)
{
  g_mutex_lock (&run->lock);
  g_hash_table_insert (table, g_memdup2 (&GST_BUFFER_PTS (buffer),
          sizeof (guint64)), g_memdup2 (&value, sizeof (value)));
  g_mutex_unlock (&run->lock);
}

static guint64
recall (Run * run, GHashTable * table, GstClockTime pts)
{
  guint64 *value;

  g_mutex_lock (&run->lock);
  value = g_hash_table_lookup (table, &pts);
  g_mutex_unlock (&run->lock);
  return value ? *value : 0;
}

static GstPadProbeReturn
on_produced (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Run *run = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  remember (run, run->reference, buffer, hash_frame (buffer, &run->info));
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_drm (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Run *run = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  remember (run, run->drm, buffer, hash_from_fds (buffer, &run->info));
  remember (run, run->drm_inode, buffer,
      inode_of (gst_buffer_peek_memory (buffer, 0)));
  return GST_PAD_PROBE_OK;
}

/* --- the multi-planar consumer: vivid's output queue --- */

typedef struct
{
  int fd;
  gchar *path;
  guint count;                  /* buffers the queue has */
  GstBuffer *slot[SLOTS];
  guint queued, dequeued, same_fd;
  gchar *error;
} Device;

/* The first vivid node whose device caps say multi-planar output. */
static gboolean
open_device (Device * dev)
{
  struct v4l2_capability cap;
  gint i;

  for (i = 0; i < 64; i++) {
    dev->path = g_strdup_printf ("/dev/video%d", i);
    dev->fd = open (dev->path, O_RDWR | O_CLOEXEC);
    memset (&cap, 0, sizeof (cap));
    if (dev->fd >= 0 && ioctl (dev->fd, VIDIOC_QUERYCAP, &cap) == 0
        && strcmp ((const char *) cap.driver, "vivid") == 0
        && (cap.device_caps & V4L2_CAP_VIDEO_OUTPUT_MPLANE))
      return TRUE;
    if (dev->fd >= 0)
      close (dev->fd);
    g_clear_pointer (&dev->path, g_free);
  }
  return FALSE;
}

/* NV16M: two memory planes of 640 bytes a row, 480 rows each (a 4:2:2
 * format, whose chroma plane has all the rows: vivid sizes every plane
 * but the first by bytesperline times the full height). */
static gboolean
set_format (Device * dev)
{
  struct v4l2_format fmt = { 0 };
  struct v4l2_requestbuffers req = { 0 };

  fmt.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  fmt.fmt.pix_mp.width = WIDTH;
  fmt.fmt.pix_mp.height = HEIGHT;
  fmt.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV16M;
  fmt.fmt.pix_mp.field = V4L2_FIELD_ANY;
  fmt.fmt.pix_mp.num_planes = 2;
  if (ioctl (dev->fd, VIDIOC_S_FMT, &fmt) < 0) {
    dev->error = g_strdup_printf ("VIDIOC_S_FMT: %s", g_strerror (errno));
    return FALSE;
  }
  if (fmt.fmt.pix_mp.pixelformat != V4L2_PIX_FMT_NV16M
      || fmt.fmt.pix_mp.width != WIDTH || fmt.fmt.pix_mp.height != HEIGHT
      || fmt.fmt.pix_mp.num_planes != 2
      || fmt.fmt.pix_mp.plane_fmt[0].bytesperline != WIDTH
      || fmt.fmt.pix_mp.plane_fmt[1].bytesperline != WIDTH) {
    dev->error = g_strdup_printf ("VIDIOC_S_FMT gave %ux%u, %u planes of "
        "%u and %u bytes a row", fmt.fmt.pix_mp.width, fmt.fmt.pix_mp.height,
        fmt.fmt.pix_mp.num_planes, fmt.fmt.pix_mp.plane_fmt[0].bytesperline,
        fmt.fmt.pix_mp.plane_fmt[1].bytesperline);
    return FALSE;
  }
  req.count = SLOTS;
  req.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  req.memory = V4L2_MEMORY_DMABUF;
  if (ioctl (dev->fd, VIDIOC_REQBUFS, &req) < 0 || req.count == 0) {
    dev->error = g_strdup_printf ("VIDIOC_REQBUFS DMABUF: %s",
        g_strerror (errno));
    return FALSE;
  }
  dev->count = MIN (req.count, SLOTS);
  return TRUE;
}

/* Waits for the device to give a buffer back, then drops our view. */
static gboolean
dequeue_one (Device * dev)
{
  struct v4l2_plane planes[VIDEO_MAX_PLANES] = { {0} };
  struct v4l2_buffer b = { 0 };
  struct pollfd pfd = { dev->fd, POLLOUT, 0 };

  if (poll (&pfd, 1, 10000) <= 0) {
    dev->error = g_strdup ("the device gave no buffer back in 10 s");
    return FALSE;
  }
  b.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  b.memory = V4L2_MEMORY_DMABUF;
  b.m.planes = planes;
  b.length = VIDEO_MAX_PLANES;
  if (ioctl (dev->fd, VIDIOC_DQBUF, &b) < 0) {
    dev->error = g_strdup_printf ("VIDIOC_DQBUF: %s", g_strerror (errno));
    return FALSE;
  }
  gst_clear_buffer (&dev->slot[b.index]);
  dev->dequeued++;
  return TRUE;
}

/* Each memory of @view is a plane: its dma-buf fd, its data at its
 * memory's offset, bytesused counting from the buffer's start as V4L2
 * says (offset + size). */
static gboolean
queue_view (Device * dev, GstBuffer * view)
{
  struct v4l2_plane planes[VIDEO_MAX_PLANES] = { {0} };
  struct v4l2_buffer b = { 0 };
  int type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  guint i, index;
  GstMemory *mem;

  if (dev->queued - dev->dequeued == dev->count && !dequeue_one (dev))
    return FALSE;
  for (index = 0; dev->slot[index]; index++);
  b.type = type;
  b.memory = V4L2_MEMORY_DMABUF;
  b.index = index;
  b.m.planes = planes;
  b.length = gst_buffer_n_memory (view);
  b.field = V4L2_FIELD_ANY;
  GST_TIME_TO_TIMEVAL (GST_BUFFER_PTS (view), b.timestamp);
  for (i = 0; i < b.length && i < VIDEO_MAX_PLANES; i++) {
    mem = gst_buffer_peek_memory (view, i);
    planes[i].m.fd = gst_dmabuf_memory_get_fd (mem);
    planes[i].data_offset = mem->offset;
    planes[i].bytesused = mem->offset + mem->size;
    planes[i].length = mem->maxsize;
  }
  dev->same_fd += b.length == 2 && planes[0].m.fd == planes[1].m.fd;
  if (ioctl (dev->fd, VIDIOC_QBUF, &b) < 0) {
    dev->error = g_strdup_printf ("VIDIOC_QBUF of a %u-plane view (fd %d at "
        "%u, fd %d at %u): %s", b.length, planes[0].m.fd,
        planes[0].data_offset, planes[1].m.fd, planes[1].data_offset,
        g_strerror (errno));
    return FALSE;
  }
  dev->slot[index] = gst_buffer_ref (view);
  if (dev->queued++ == 0 && ioctl (dev->fd, VIDIOC_STREAMON, &type) < 0) {
    dev->error = g_strdup_printf ("VIDIOC_STREAMON: %s", g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

/* An output device keeps its last frame on screen until another comes:
 * every buffer but the last comes back, STREAMOFF returns that one. */
static void
close_device (Device * dev)
{
  int type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  guint i;

  while (!dev->error && dev->dequeued + 1 < dev->queued && dequeue_one (dev));
  if (dev->queued > 0 && ioctl (dev->fd, VIDIOC_STREAMOFF, &type) < 0
      && !dev->error)
    dev->error = g_strdup_printf ("VIDIOC_STREAMOFF: %s", g_strerror (errno));
  for (i = 0; i < SLOTS; i++)
    gst_clear_buffer (&dev->slot[i]);
  close (dev->fd);
  g_free (dev->path);
}

/* --- the run --- */

typedef struct
{
  guint frames, two_memories, from_system_heap, mapped_ok, synced;
  gsize plane1_offset;
} Seen;

/* DMA_BUF_IOCTL_SYNC calls this thread makes on one fd; the kernel still
 * answers them (fakeioctl.c passes every call through). */
typedef struct
{
  GThread *thread;
  int fd;
  guint starts, ends;
} Syncs;

static gboolean
count_sync (int fd, unsigned long request, void *arg, int *result,
    gpointer data)
{
  Syncs *syncs = data;
  struct dma_buf_sync *sync = arg;

  if (request == DMA_BUF_IOCTL_SYNC && fd == syncs->fd
      && g_thread_self () == syncs->thread) {
    if (sync->flags & DMA_BUF_SYNC_END)
      syncs->ends++;
    else
      syncs->starts++;
  }
  return FALSE;
}

/* GStreamer's own mapping of the view (each plane's memory mapped through
 * the dma-buf allocator): the same pixels, each map bracketed by a sync
 * start and end on the parent's fd. */
static void
map_view (Run * run, Seen * seen, GstBuffer * view, guint64 expected)
{
  Syncs syncs = { g_thread_self (), -1, 0, 0 };
  GstMemory *mem = gst_buffer_peek_memory (view, 0);
  guint64 hash;

  if (!gst_is_dmabuf_memory (mem))
    return;
  syncs.fd = gst_dmabuf_memory_get_fd (mem);
  fake_ioctl_set_handler (count_sync, &syncs);
  hash = hash_frame (view, &run->info);
  fake_ioctl_set_handler (NULL, NULL);
  seen->mapped_ok += hash != 0 && hash == expected;
  seen->synced += syncs.starts == gst_buffer_n_memory (view)
      && syncs.ends == syncs.starts;
}

static void
note_view (Run * run, Seen * seen, GstBuffer * view, GArray * pts,
    GArray * hashes, GArray * inodes)
{
  GstMemory *m0 = gst_buffer_peek_memory (view, 0), *m1;
  guint64 hash = hash_from_fds (view, &run->info), inode = inode_of (m0);
  gchar *exporter = NULL;

  seen->frames++;
  if (gst_buffer_n_memory (view) == 2) {
    m1 = gst_buffer_peek_memory (view, 1);
    seen->two_memories += inode_of (m1) == inode && m1->offset > m0->offset;
    seen->plane1_offset = m1->offset;
  }
  if (gst_is_dmabuf_memory (m0))
    exporter = gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (m0));
  seen->from_system_heap += g_strcmp0 (exporter, "system") == 0;
  g_free (exporter);
  map_view (run, seen, view, hash);
  g_array_append_val (pts, GST_BUFFER_PTS (view));
  g_array_append_val (hashes, hash);
  g_array_append_val (inodes, inode);
}

static GstElement *
start_pipeline (Run * run, guint frames)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=ball ! "
      "video/x-raw,format=NV16,width=%d,height=%d,framerate=25/1 ! "
      "alloctee name=t "
      "t. ! queue ! allocfilter constraints=planes=separate,memory=dmabuf ! "
      "appsink name=mp sync=false max-buffers=2 "
      "t. ! queue ! allocdrmimportsink name=drm device=/dev/dri/card0 "
      "sync=false constraints=memory=dmabuf,planes=single", frames, WIDTH,
      HEIGHT);
  GstElement *pipeline = gst_parse_launch (desc, NULL), *e;
  GstPad *pad;

  g_free (desc);
  if (!pipeline)
    return NULL;
  e = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  pad = gst_element_get_static_pad (e, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_produced, run, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (pipeline), "drm");
  pad = gst_element_get_static_pad (e, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_drm, run, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  return pipeline;
}

static gchar *
bus_errors (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GString *errors = g_string_new (NULL);
  GstMessage *msg;
  GError *err;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    gst_message_parse_error (msg, &err, NULL);
    g_string_append_printf (errors, "%s%s: %s", errors->len ? "; " : "",
        GST_MESSAGE_SRC_NAME (msg), err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return g_string_free (errors, FALSE);
}

static void
check_tee (Run * run, GstElement * pipeline, guint frames)
{
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstPad *mp = gst_element_get_static_pad (tee, "src_0");
  GstPad *drm = gst_element_get_static_pad (tee, "src_1");
  guint64 views, copies0, copies1;
  gchar *reason;

  g_object_get (mp, "views", &views, "copies", &copies0, "reason", &reason,
      NULL);
  g_object_get (drm, "copies", &copies1, NULL);
  check (run, g_str_has_prefix (reason, "zero-copy (view): planes"),
      "the decision serves the multi-planar branch through views: %s", reason);
  check (run, views == frames && copies0 == 0 && copies1 == 0,
      "alloctee: %" G_GUINT64_FORMAT " views, copies %" G_GUINT64_FORMAT
      " and %" G_GUINT64_FORMAT, views, copies0, copies1);
  g_free (reason);
  gst_object_unref (drm);
  gst_object_unref (mp);
  gst_object_unref (tee);
}

static void
check_frames (Run * run, Seen * seen, GArray * pts, GArray * hashes,
    GArray * inodes, guint frames)
{
  guint i, mp_ok = 0, drm_ok = 0, same = 0;
  GstClockTime t;

  for (i = 0; i < pts->len; i++) {
    t = g_array_index (pts, GstClockTime, i);
    mp_ok += g_array_index (hashes, guint64, i) != 0
        && g_array_index (hashes, guint64, i) ==
        recall (run, run->reference, t);
    drm_ok += recall (run, run->drm, t) != 0
        && recall (run, run->drm, t) == recall (run, run->reference, t);
    same += g_array_index (inodes, guint64, i) != 0
        && g_array_index (inodes, guint64, i) ==
        recall (run, run->drm_inode, t);
  }
  check (run, seen->frames == frames && seen->two_memories == frames,
      "the multi-planar consumer got %u of %u frames, %u as two memories on "
      "one dma-buf (plane 1 at byte %" G_GSIZE_FORMAT ")", seen->frames,
      frames, seen->two_memories, seen->plane1_offset);
  check (run, seen->from_system_heap == frames, "%u of %u dma-bufs exported "
      "by the system heap", seen->from_system_heap, frames);
  check (run, same == frames, "the two consumers got the same dma-buf "
      "(inode) for %u of %u frames", same, frames);
  check (run, mp_ok == frames, "pixels at the multi-planar consumer's "
      "(fd, offset) pairs match the producer's frame: %u of %u", mp_ok, frames);
  check (run, seen->mapped_ok == frames && seen->synced == frames,
      "mapped by GStreamer, the views show the same pixels (%u of %u), each "
      "memory's map bracketed by DMA_BUF_IOCTL_SYNC start and end on the "
      "shared fd (%u of %u)", seen->mapped_ok, frames, seen->synced, frames);
  check (run, drm_ok == frames && g_hash_table_size (run->drm) == frames,
      "pixels at the DRM consumer's fd match the producer's frame: %u of %u",
      drm_ok, frames);
}

static void
run_init (Run * run)
{
  g_mutex_init (&run->lock);
  run->reference = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  run->drm = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  run->drm_inode = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  gst_video_info_set_format (&run->info, GST_VIDEO_FORMAT_NV16, WIDTH, HEIGHT);
}

/* After EOS: errors, what each consumer got, vgem's imports, the tee. */
static void
check_pipeline (Run * run, GstElement * pipeline, Seen * seen, GArray * pts,
    GArray * hashes, GArray * inodes, guint frames)
{
  gchar *errors = bus_errors (pipeline);
  guint64 imports, failures;
  GstElement *drm;

  check (run, *errors == '\0', "no error from the pipeline%s%s",
      *errors ? ": " : "", errors);
  g_free (errors);
  check_frames (run, seen, pts, hashes, inodes, frames);
  drm = gst_bin_get_by_name (GST_BIN (pipeline), "drm");
  g_object_get (drm, "imports", &imports, "import-failures", &failures, NULL);
  check (run, imports == frames && failures == 0, "vgem imported %"
      G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " failures", imports,
      failures);
  check_tee (run, pipeline, frames);
  gst_object_unref (drm);
}

int
main (int argc, char **argv)
{
  guint frames = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 30;
  Run run = { 0, };
  Device dev = { -1, };
  Seen seen = { 0, };
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  GArray *hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  GArray *inodes = g_array_new (FALSE, FALSE, sizeof (guint64));
  GstElement *pipeline, *mp;
  GstSample *sample;
  gboolean queued_all = TRUE;

  gst_init (&argc, &argv);
  if (!open_device (&dev)) {
    g_print ("SKIP: no vivid multi-planar output node (vivid multiplanar=2)\n");
    return 77;
  }
  if (access ("/dev/dri/card0", R_OK | W_OK) != 0) {
    g_print ("SKIP: /dev/dri/card0 (vgem): %s\n", g_strerror (errno));
    return 77;
  }
  g_print ("multi-planar consumer: %s\n", dev.path);
  run_init (&run);
  check (&run, set_format (&dev), "%s takes NV16M %dx%d from dma-bufs%s%s",
      dev.path, WIDTH, HEIGHT, dev.error ? ": " : "", dev.error ? dev.error :
      "");
  pipeline = dev.error ? NULL : start_pipeline (&run, frames);
  mp = pipeline ? gst_bin_get_by_name (GST_BIN (pipeline), "mp") : NULL;
  while (mp && (sample = gst_app_sink_try_pull_sample (GST_APP_SINK (mp),
              60 * GST_SECOND))) {
    note_view (&run, &seen, gst_sample_get_buffer (sample), pts, hashes,
        inodes);
    queued_all &= queue_view (&dev, gst_sample_get_buffer (sample));
    gst_sample_unref (sample);
  }
  close_device (&dev);
  check (&run, queued_all && dev.queued == frames && dev.dequeued + 1 ==
      frames && dev.same_fd == frames && !dev.error, "the device took %u "
      "views with one fd for both planes (%u), gave back %u before "
      "STREAMOFF%s%s", dev.queued, dev.same_fd, dev.dequeued, dev.error ?
      ": " : "", dev.error ? dev.error : "");
  if (pipeline) {
    check_pipeline (&run, pipeline, &seen, pts, hashes, inodes, frames);
    gst_object_unref (mp);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
  }
  g_print ("%u%%: Checks: %u, Failures: %u, Errors: 0\n",
      100 * (run.checks - run.failures) / MAX (run.checks, 1), run.checks,
      run.failures);
  g_array_unref (pts);
  g_array_unref (hashes);
  g_array_unref (inodes);
  /* Tracers write their final report when destroyed. */
  gst_deinit ();
  return run.failures ? 1 : 0;
}
