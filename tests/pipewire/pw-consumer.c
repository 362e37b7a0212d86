/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plain PipeWire consumer for the tests: a pw_stream that links to a node,
 * announces the Buffers needs given on the command line, and reports what
 * it receives, one line each:
 *
 *   buffer ID block J type T fd F dev D inode I maxsize M exp_name E
 *   frame SEQ buffer ID stride S offset O rows ok|bad
 *   summary frames N first F last L gaps G bad B
 *
 * "rows" checks a frame of vertical bars (videotestsrc pattern=colors):
 * every row of every plane must equal the plane's first row when read at
 * the chosen stride. A consumer that reads at the tight stride (as browser
 * camera capture does) sees "bad" on padded frames. */

#include <pipewire/pipewire.h>
#include <spa/param/buffers.h>
#include <spa/param/video/format-utils.h>
#include <spa/buffer/meta.h>
#include <spa/utils/result.h>
#include <spa/debug/types.h>
#include <spa/param/video/type-info.h>

#include <linux/dma-buf.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BUFFERS 64
#define MAX_DATAS 4

struct mapping
{
  int fd;
  void *base;
  size_t size;
};

struct options
{
  const char *target, *name, *format;
  int width, height;
  unsigned types;
  int align, stride, buffers, frames;
  int read_tight, check_rows;
};

struct consumer
{
  struct options opt;
  struct pw_main_loop *loop;
  struct pw_stream *stream;
  struct spa_hook listener;
  struct spa_video_info_raw info;
  struct mapping maps[MAX_BUFFERS][MAX_DATAS];
  long frames, bad, gaps;
  int64_t first_seq, last_seq;
};

static int
plane_rows (uint32_t format, int plane, int height)
{
  if (plane > 0 && (format == SPA_VIDEO_FORMAT_NV12
          || format == SPA_VIDEO_FORMAT_I420 || format == SPA_VIDEO_FORMAT_NV21
          || format == SPA_VIDEO_FORMAT_YV12))
    return (height + 1) / 2;
  return height;
}

static int
n_planes (uint32_t format)
{
  switch (format) {
    case SPA_VIDEO_FORMAT_NV12:
    case SPA_VIDEO_FORMAT_NV21:
      return 2;
    case SPA_VIDEO_FORMAT_I420:
    case SPA_VIDEO_FORMAT_YV12:
      return 3;
    default:
      return 1;
  }
}

/* Bytes of visible data in one row of @plane. */
static int
row_bytes (uint32_t format, int plane, int width)
{
  switch (format) {
    case SPA_VIDEO_FORMAT_NV12:
    case SPA_VIDEO_FORMAT_NV21:
      return plane == 0 ? width : (width + 1) / 2 * 2;
    case SPA_VIDEO_FORMAT_I420:
    case SPA_VIDEO_FORMAT_YV12:
      return plane == 0 ? width : (width + 1) / 2;
    case SPA_VIDEO_FORMAT_YUY2:
    case SPA_VIDEO_FORMAT_UYVY:
      return width * 2;
    default:
      return width * 4;
  }
}

static int
tight_stride (uint32_t format, int plane, int width)
{
  return row_bytes (format, plane, width);
}

static void
dmabuf_sync (struct spa_data *d, unsigned long flags)
{
  struct dma_buf_sync sync = {.flags = flags | DMA_BUF_SYNC_READ };

  if (d->type == SPA_DATA_DmaBuf)
    while (ioctl (d->fd, DMA_BUF_IOCTL_SYNC, &sync) < 0 && (errno == EINTR
            || errno == EAGAIN));
}

/* Where plane @p starts (offset into the mapping of *@block) and its
 * stride, as this consumer reads it. */
static size_t
plane_offset (struct consumer *c, struct spa_buffer *b, int p, int *block,
    int *stride)
{
  const struct spa_video_info_raw *info = &c->info;
  struct spa_data *d;
  size_t offset;
  int q;

  *block = (uint32_t) p < b->n_datas ? p : 0;
  d = &b->datas[*block];
  offset = d->chunk->offset + d->mapoffset;
  *stride = d->chunk->stride;
  if (c->opt.read_tight || *stride <= 0)
    *stride = tight_stride (info->format, *block, info->size.width);
  /* One block holding every plane: each follows the previous at the
   * offset its stride implies (I420 chroma at half the luma stride). */
  for (q = *block; q < p; q++) {
    offset += (size_t) *stride * plane_rows (info->format, q,
        info->size.height);
    if (q == 0 && (info->format == SPA_VIDEO_FORMAT_I420
            || info->format == SPA_VIDEO_FORMAT_YV12))
      *stride = (*stride + 1) / 2;
  }
  return offset;
}

static int
rows_ok (struct consumer *c, struct spa_buffer *b, uint32_t id)
{
  const struct spa_video_info_raw *info = &c->info;
  int p, r, block, stride, rows, len;
  const uint8_t *start;
  size_t offset;

  for (p = 0; p < n_planes (info->format); p++) {
    offset = plane_offset (c, b, p, &block, &stride);
    rows = plane_rows (info->format, p, info->size.height);
    len = row_bytes (info->format, p, info->size.width);
    if (!c->maps[id][block].base || offset + (size_t) stride * (rows - 1)
        + len > c->maps[id][block].size)
      return 0;
    start = (const uint8_t *) c->maps[id][block].base + offset;
    for (r = 1; r < rows; r++) {
      if (memcmp (start + (size_t) r * stride, start, len) != 0)
        return 0;
    }
  }
  return 1;
}

static uint32_t
buffer_id (struct consumer *c, struct pw_buffer *pb)
{
  return (uint32_t) (uintptr_t) pb->user_data;
}

static void
on_process (void *data)
{
  struct consumer *c = data;
  struct pw_buffer *pb;
  struct spa_buffer *b;
  struct spa_meta_header *h;
  int64_t seq;
  uint32_t id, i;
  int ok = 1;

  while ((c->opt.frames == 0 || c->frames < c->opt.frames)
      && (pb = pw_stream_dequeue_buffer (c->stream))) {
    b = pb->buffer;
    id = buffer_id (c, pb);
    h = spa_buffer_find_meta_data (b, SPA_META_Header, sizeof (*h));
    /* pipewiresink 1.4 numbers frames by their buffer offset, which a
     * source may leave unset (all ones): then they are counted here. */
    seq = h && h->seq != UINT64_MAX ? (int64_t) h->seq : c->frames;
    if (c->opt.check_rows) {
      for (i = 0; i < b->n_datas; i++)
        dmabuf_sync (&b->datas[i], DMA_BUF_SYNC_START);
      ok = rows_ok (c, b, id);
      for (i = 0; i < b->n_datas; i++)
        dmabuf_sync (&b->datas[i], DMA_BUF_SYNC_END);
    }
    if (c->frames > 0 && seq > c->last_seq + 1)
      c->gaps += seq - c->last_seq - 1;
    if (c->frames == 0)
      c->first_seq = seq;
    c->last_seq = seq;
    c->frames++;
    c->bad += !ok;
    printf ("frame %" PRId64 " buffer %u stride %d offset %u rows %s\n", seq,
        id, b->datas[0].chunk->stride, b->datas[0].chunk->offset,
        c->opt.check_rows ? (ok ? "ok" : "bad") : "unchecked");
    pw_stream_queue_buffer (c->stream, pb);
    if (c->opt.frames > 0 && c->frames >= c->opt.frames)
      pw_main_loop_quit (c->loop);
  }
}

/* The exporter of a dma-buf as the kernel names it ("system" for the
 * system DMA heap), "-" for other fds. */
static void
exporter_of (int fd, char *name, size_t size)
{
  char path[64], line[256];
  FILE *f;

  snprintf (name, size, "-");
  snprintf (path, sizeof (path), "/proc/self/fdinfo/%d", fd);
  if (fd < 0 || !(f = fopen (path, "r")))
    return;
  while (fgets (line, sizeof (line), f)) {
    if (sscanf (line, "exp_name: %63s", name) == 1)
      break;
  }
  fclose (f);
}

static void
on_add_buffer (void *data, struct pw_buffer *pb)
{
  struct consumer *c = data;
  struct spa_buffer *b = pb->buffer;
  static uint32_t next_id;
  uint32_t id = next_id++ % MAX_BUFFERS, i;
  struct stat st;
  char exporter[64];

  pb->user_data = (void *) (uintptr_t) id;
  for (i = 0; i < b->n_datas && i < MAX_DATAS; i++) {
    struct spa_data *d = &b->datas[i];
    struct mapping *m = &c->maps[id][i];

    memset (&st, 0, sizeof (st));
    if (d->fd >= 0)
      fstat (d->fd, &st);
    exporter_of ((int) d->fd, exporter, sizeof (exporter));
    printf ("buffer %u block %u type %s fd %d dev %lu inode %lu maxsize %u "
        "exp_name %s\n", id, i, spa_debug_type_find_short_name
        (spa_type_data_type, d->type), (int) d->fd, (unsigned long) st.st_dev,
        (unsigned long) st.st_ino, d->maxsize, exporter);
    m->fd = (int) d->fd;
    m->base = NULL;
    if (c->opt.check_rows && d->fd >= 0) {
      m->size = d->mapoffset + d->maxsize;
      m->base = mmap (NULL, m->size, PROT_READ, MAP_SHARED, m->fd, 0);
      if (m->base == MAP_FAILED) {
        fprintf (stderr, "cannot map buffer %u block %u: %s\n", id, i,
            strerror (errno));
        m->base = NULL;
      }
    } else if (c->opt.check_rows && d->data) {
      m->base = d->data;
      m->size = d->maxsize;
    }
  }
}

static void
on_remove_buffer (void *data, struct pw_buffer *pb)
{
  struct consumer *c = data;
  uint32_t id = buffer_id (c, pb), i;

  for (i = 0; i < pb->buffer->n_datas && i < MAX_DATAS; i++) {
    struct mapping *m = &c->maps[id][i];

    if (m->base && m->fd >= 0)
      munmap (m->base, m->size);
    m->base = NULL;
  }
  printf ("removed buffer %u\n", id);
}

static const struct spa_pod *
buffers_param (struct consumer *c, struct spa_pod_builder *b)
{
  struct spa_pod_frame f;
  int buffers = c->opt.buffers;

  spa_pod_builder_push_object (b, &f, SPA_TYPE_OBJECT_ParamBuffers,
      SPA_PARAM_Buffers);
  if (buffers > 0)
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_buffers, SPA_POD_Int (buffers),
        0);
  else
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_buffers,
        SPA_POD_CHOICE_RANGE_Int (8, 2, MAX_BUFFERS), 0);
  spa_pod_builder_add (b, SPA_PARAM_BUFFERS_dataType,
      SPA_POD_CHOICE_FLAGS_Int ((int) c->opt.types), 0);
  if (c->opt.align > 0)
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_align,
        SPA_POD_Int (c->opt.align), 0);
  if (c->opt.stride != 0)
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_stride,
        SPA_POD_Int (c->opt.stride > 0 ? c->opt.stride :
            tight_stride (c->info.format, 0, c->info.size.width)), 0);
  return spa_pod_builder_pop (b, &f);
}

static void
on_param_changed (void *data, uint32_t id, const struct spa_pod *param)
{
  struct consumer *c = data;
  uint8_t storage[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[2];

  if (id != SPA_PARAM_Format || !param)
    return;
  spa_format_video_raw_parse (param, &c->info);
  printf ("format %s %ux%u\n", spa_debug_type_find_short_name
      (spa_type_video_format, c->info.format), c->info.size.width,
      c->info.size.height);
  params[0] = buffers_param (c, &b);
  params[1] = spa_pod_builder_add_object (&b,
      SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
      SPA_PARAM_META_type, SPA_POD_Id (SPA_META_Header),
      SPA_PARAM_META_size, SPA_POD_Int (sizeof (struct spa_meta_header)));
  pw_stream_update_params (c->stream, params, 2);
}

static void
on_state_changed (void *data, enum pw_stream_state old,
    enum pw_stream_state state, const char *error)
{
  struct consumer *c = data;

  printf ("state %s%s%s\n", pw_stream_state_as_string (state),
      error ? " " : "", error ? error : "");
  if (state == PW_STREAM_STATE_ERROR || state == PW_STREAM_STATE_UNCONNECTED)
    pw_main_loop_quit (c->loop);
}

static const struct pw_stream_events events = {
  PW_VERSION_STREAM_EVENTS,
  .state_changed = on_state_changed,
  .param_changed = on_param_changed,
  .add_buffer = on_add_buffer,
  .remove_buffer = on_remove_buffer,
  .process = on_process,
};

static unsigned
parse_types (const char *arg)
{
  unsigned types = 0;

  if (strstr (arg, "dmabuf"))
    types |= 1u << SPA_DATA_DmaBuf;
  if (strstr (arg, "memfd"))
    types |= 1u << SPA_DATA_MemFd;
  if (strstr (arg, "memptr"))
    types |= 1u << SPA_DATA_MemPtr;
  return types;
}

static int
parse_options (int argc, char **argv, struct options *o)
{
  static const struct option longopts[] = {
    {"target", required_argument, NULL, 't'},
    {"name", required_argument, NULL, 'n'},
    {"format", required_argument, NULL, 'f'},
    {"size", required_argument, NULL, 's'},
    {"types", required_argument, NULL, 'T'},
    {"align", required_argument, NULL, 'a'},
    {"stride", required_argument, NULL, 'S'},
    {"buffers", required_argument, NULL, 'b'},
    {"frames", required_argument, NULL, 'F'},
    {"read-tight", no_argument, NULL, 'r'},
    {"check-rows", no_argument, NULL, 'c'},
    {NULL, 0, NULL, 0}
  };
  int opt;

  *o = (struct options) {.name = "pw-consumer",.format = "NV12",
    .width = 1920,.height = 1080,
    .types = (1u << SPA_DATA_DmaBuf) | (1u << SPA_DATA_MemFd)
  };
  while ((opt = getopt_long (argc, argv, "", longopts, NULL)) != -1) {
    switch (opt) {
      case 't':
        o->target = optarg;
        break;
      case 'n':
        o->name = optarg;
        break;
      case 'f':
        o->format = optarg;
        break;
      case 's':
        if (sscanf (optarg, "%dx%d", &o->width, &o->height) != 2)
          return -1;
        break;
      case 'T':
        o->types = parse_types (optarg);
        break;
      case 'a':
        o->align = atoi (optarg);
        break;
      case 'S':
        o->stride = strcmp (optarg, "tight") == 0 ? -1 : atoi (optarg);
        break;
      case 'b':
        o->buffers = atoi (optarg);
        break;
      case 'F':
        o->frames = atoi (optarg);
        break;
      case 'r':
        o->read_tight = 1;
        break;
      case 'c':
        o->check_rows = 1;
        break;
      default:
        return -1;
    }
  }
  return o->target && o->types ? 0 : -1;
}

static uint32_t
spa_format_from_name (const char *name)
{
  const struct spa_type_info *t;

  for (t = spa_type_video_format; t->name; t++) {
    if (strcmp (spa_debug_type_short_name (t->name), name) == 0)
      return t->type;
  }
  return SPA_VIDEO_FORMAT_UNKNOWN;
}

static void
on_signal (void *data, int signal_number)
{
  pw_main_loop_quit (data);
}

int
main (int argc, char **argv)
{
  struct consumer c = { 0 };
  uint8_t storage[1024];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[1];
  struct spa_rectangle size;
  int res;

  setvbuf (stdout, NULL, _IOLBF, 0);
  pw_init (&argc, &argv);
  if (parse_options (argc, argv, &c.opt) < 0) {
    fprintf (stderr, "usage: %s --target NODE [--name N] [--format NV12] "
        "[--size WxH] [--types dmabuf,memfd] [--align N] [--stride tight|N] "
        "[--buffers N] [--frames N] [--read-tight] [--check-rows]\n", argv[0]);
    return 2;
  }
  c.loop = pw_main_loop_new (NULL);
  pw_loop_add_signal (pw_main_loop_get_loop (c.loop), SIGINT, on_signal,
      c.loop);
  pw_loop_add_signal (pw_main_loop_get_loop (c.loop), SIGTERM, on_signal,
      c.loop);
  c.stream = pw_stream_new_simple (pw_main_loop_get_loop (c.loop), c.opt.name,
      pw_properties_new (PW_KEY_MEDIA_TYPE, "Video",
          PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_MEDIA_ROLE, "Camera",
          PW_KEY_NODE_NAME, c.opt.name, PW_KEY_TARGET_OBJECT, c.opt.target,
          NULL), &events, &c);
  size = SPA_RECTANGLE (c.opt.width, c.opt.height);
  params[0] = spa_pod_builder_add_object (&b,
      SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat,
      SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
      SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw),
      SPA_FORMAT_VIDEO_format, SPA_POD_Id (spa_format_from_name
          (c.opt.format)), SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle (&size),
      SPA_FORMAT_VIDEO_framerate, SPA_POD_CHOICE_RANGE_Fraction
      (&SPA_FRACTION (30, 1), &SPA_FRACTION (0, 1), &SPA_FRACTION (1000, 1)));
  res = pw_stream_connect (c.stream, PW_DIRECTION_INPUT, PW_ID_ANY,
      PW_STREAM_FLAG_AUTOCONNECT, params, 1);
  if (res < 0) {
    fprintf (stderr, "cannot connect: %s\n", spa_strerror (res));
    return 1;
  }
  pw_main_loop_run (c.loop);
  printf ("summary frames %ld first %" PRId64 " last %" PRId64 " gaps %ld "
      "bad %ld\n", c.frames, c.first_seq, c.last_seq, c.gaps, c.bad);
  pw_stream_destroy (c.stream);
  pw_main_loop_destroy (c.loop);
  pw_deinit ();
  return 0;
}
