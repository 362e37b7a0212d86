/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/video/video.h>
#include <pipewire/stream.h>

G_BEGIN_DECLS

/* The buffers of a consumer stream as GStreamer buffers, without copying:
 * each pw_buffer's fds are wrapped once (GstDmaBufMemory for DmaBuf,
 * GstFdMemory for MemFd, wrapped pointers for MemPtr), and each frame is a
 * new GstBuffer sharing them, with a GstVideoMeta from the chunks' offsets
 * and strides. Dropping that GstBuffer gives the pw_buffer back. */
typedef struct _GstAllocPwFrames GstAllocPwFrames;

GstAllocPwFrames *gst_alloc_pw_frames_new (void);
void gst_alloc_pw_frames_free (GstAllocPwFrames * frames);

/* From the stream's events (loop thread). */
void gst_alloc_pw_frames_set_stream (GstAllocPwFrames * frames,
    struct pw_stream *stream);
void gst_alloc_pw_frames_add (GstAllocPwFrames * frames,
    struct pw_buffer *buffer);
void gst_alloc_pw_frames_remove (GstAllocPwFrames * frames,
    struct pw_buffer *buffer);

/* A frame of @info in @buffer (dequeued by the caller), as a GstBuffer
 * that queues @buffer back when it is freed. NULL (and @buffer queued back)
 * when the chunks do not describe a frame of @info (GST_STREAM_ERROR), or
 * when the buffer has no memory at all (GST_RESOURCE_ERROR_READ: PipeWire
 * 0.3.65 can hand a consumer that links while the producer fills its
 * buffers the empty ones). */
GstBuffer *gst_alloc_pw_frames_wrap (GstAllocPwFrames * frames,
    struct pw_buffer *buffer, const GstVideoInfo * info, GError ** error);

G_END_DECLS
