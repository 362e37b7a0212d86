/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc-prelude.h>
#include <gst/alloc/gstallocerror.h>
#include <gst/alloc/gstalloc-enumtypes.h>

G_BEGIN_DECLS

/**
 * GstAllocMemoryFlags:
 * @GST_ALLOC_MEMORY_DMABUF: a dma-buf file descriptor (DMA heap, udmabuf).
 * @GST_ALLOC_MEMORY_MEMFD: a memfd: shareable across processes, not a dma-buf.
 * @GST_ALLOC_MEMORY_SYSTEM: plain process memory.
 *
 * The kinds of memory a consumer accepts. A constraint set holds a mask; an
 * empty mask after a merge means no memory kind suits every consumer.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_MEMORY_DMABUF = (1 << 0),
  GST_ALLOC_MEMORY_MEMFD = (1 << 1),
  GST_ALLOC_MEMORY_SYSTEM = (1 << 2),
} GstAllocMemoryFlags;

/**
 * GST_ALLOC_MEMORY_ANY:
 *
 * Every memory kind: the "no constraint" value of the memory field.
 *
 * Since: 1.0
 */
#define GST_ALLOC_MEMORY_ANY \
  (GST_ALLOC_MEMORY_DMABUF | GST_ALLOC_MEMORY_MEMFD | GST_ALLOC_MEMORY_SYSTEM)

/**
 * GstAllocCpuAccess:
 * @GST_ALLOC_CPU_ACCESS_NONE: the consumer never maps the memory.
 * @GST_ALLOC_CPU_ACCESS_READ: the consumer reads with the CPU.
 * @GST_ALLOC_CPU_ACCESS_WRITE: the consumer writes with the CPU.
 * @GST_ALLOC_CPU_ACCESS_READWRITE: both.
 *
 * How a consumer touches the memory with the CPU. Merges by union.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_CPU_ACCESS_NONE = 0,
  GST_ALLOC_CPU_ACCESS_READ = (1 << 0),
  GST_ALLOC_CPU_ACCESS_WRITE = (1 << 1),
  GST_ALLOC_CPU_ACCESS_READWRITE = (1 << 0) | (1 << 1),
} GstAllocCpuAccess;

/**
 * GstAllocCache:
 * @GST_ALLOC_CACHE_ANY: no constraint.
 * @GST_ALLOC_CACHE_CACHED: CPU mappings must be cached (CPU-heavy consumers).
 * @GST_ALLOC_CACHE_UNCACHED: the memory must be uncached (non-snooping DMA).
 *
 * Cache policy of the memory. Cached and uncached conflict.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_CACHE_ANY,
  GST_ALLOC_CACHE_CACHED,
  GST_ALLOC_CACHE_UNCACHED,
} GstAllocCache;

/**
 * GstAllocPlanes:
 * @GST_ALLOC_PLANES_ANY: no constraint (the pool uses one memory).
 * @GST_ALLOC_PLANES_SINGLE: all planes in one memory (V4L2 single-planar).
 * @GST_ALLOC_PLANES_SEPARATE: one memory per plane (V4L2 multi-planar).
 *
 * How planes map to memories. Single and separate conflict.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_PLANES_ANY,
  GST_ALLOC_PLANES_SINGLE,
  GST_ALLOC_PLANES_SEPARATE,
} GstAllocPlanes;

/**
 * GstAllocField:
 * @GST_ALLOC_FIELD_STRIDE_ALIGN: stride-align
 * @GST_ALLOC_FIELD_OFFSET_ALIGN: offset-align
 * @GST_ALLOC_FIELD_SIZE_ALIGN: size-align
 * @GST_ALLOC_FIELD_WIDTH_ALIGN: width-align
 * @GST_ALLOC_FIELD_HEIGHT_ALIGN: height-align
 * @GST_ALLOC_FIELD_PADDING_TOP: padding-top
 * @GST_ALLOC_FIELD_PADDING_BOTTOM: padding-bottom
 * @GST_ALLOC_FIELD_PADDING_LEFT: padding-left
 * @GST_ALLOC_FIELD_PADDING_RIGHT: padding-right
 * @GST_ALLOC_FIELD_PREFIX_BYTES: prefix-bytes
 * @GST_ALLOC_FIELD_PADDING_BYTES: padding-bytes
 * @GST_ALLOC_FIELD_MIN_BUFFERS: min-buffers
 * @GST_ALLOC_FIELD_MAX_BUFFERS: max-buffers
 * @GST_ALLOC_FIELD_MAX_SIZE: max-size
 * @GST_ALLOC_FIELD_MEMORY: memory
 * @GST_ALLOC_FIELD_CONTIGUOUS: contiguous
 * @GST_ALLOC_FIELD_CPU_ACCESS: cpu-access
 * @GST_ALLOC_FIELD_CACHE: cache
 * @GST_ALLOC_FIELD_HEAPS: heaps
 * @GST_ALLOC_FIELD_PLANES: planes
 * @GST_ALLOC_FIELD_DEFAULT_LAYOUT: default-layout
 * @GST_ALLOC_FIELD_DRM_FORMATS: drm-formats
 * @GST_ALLOC_N_FIELDS: the number of fields, not a field
 *
 * One constraint field. Used to name the field a conflict or an origin is
 * about; gst_alloc_field_get_name() gives its name in the string form,
 * which is also the value's nick in the enum's #GType. Each field is one
 * row of the library's field table: gst_alloc_field_get_syntax(),
 * gst_alloc_field_get_merge_rule() and gst_alloc_field_get_description()
 * read it.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_FIELD_STRIDE_ALIGN,
  GST_ALLOC_FIELD_OFFSET_ALIGN,
  GST_ALLOC_FIELD_SIZE_ALIGN,
  GST_ALLOC_FIELD_WIDTH_ALIGN,
  GST_ALLOC_FIELD_HEIGHT_ALIGN,
  GST_ALLOC_FIELD_PADDING_TOP,
  GST_ALLOC_FIELD_PADDING_BOTTOM,
  GST_ALLOC_FIELD_PADDING_LEFT,
  GST_ALLOC_FIELD_PADDING_RIGHT,
  GST_ALLOC_FIELD_PREFIX_BYTES,
  GST_ALLOC_FIELD_PADDING_BYTES,
  GST_ALLOC_FIELD_MIN_BUFFERS,
  GST_ALLOC_FIELD_MAX_BUFFERS,
  GST_ALLOC_FIELD_MAX_SIZE,
  GST_ALLOC_FIELD_MEMORY,
  GST_ALLOC_FIELD_CONTIGUOUS,
  GST_ALLOC_FIELD_CPU_ACCESS,
  GST_ALLOC_FIELD_CACHE,
  GST_ALLOC_FIELD_HEAPS,
  GST_ALLOC_FIELD_PLANES,
  GST_ALLOC_FIELD_DEFAULT_LAYOUT,
  GST_ALLOC_FIELD_DRM_FORMATS,
  GST_ALLOC_N_FIELDS /*< skip >*/,
} GstAllocField;

/**
 * GstAllocMergeRule:
 * @GST_ALLOC_MERGE_LCM: alignments: the least common multiple; a result
 *   beyond 32 bits is a conflict.
 * @GST_ALLOC_MERGE_MAXIMUM: paddings, reserved bytes, kept buffers: the
 *   larger value.
 * @GST_ALLOC_MERGE_TIGHTER_LIMIT: limits where 0 means unlimited: the
 *   smaller of the limited values.
 * @GST_ALLOC_MERGE_INTERSECTION: sets of accepted values held as a mask:
 *   the values both accept; none left is a conflict.
 * @GST_ALLOC_MERGE_UNION: requirements that only add up: the OR of both.
 * @GST_ALLOC_MERGE_AGREE: alternatives: the default ("any") yields to the
 *   other side, two different values are a conflict.
 * @GST_ALLOC_MERGE_HEAP_INTERSECTION: heap-name lists: the names in both
 *   lists; an unset list means any heap, an empty result is a conflict.
 * @GST_ALLOC_MERGE_DRM_FORMAT_INTERSECTION: sets of DRM formats with
 *   modifiers: the pairs in both sets; an unset set means any, an empty
 *   result is a conflict.
 *
 * How gst_alloc_constraints_merge() combines the two values of one field.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_MERGE_LCM,
  GST_ALLOC_MERGE_MAXIMUM,
  GST_ALLOC_MERGE_TIGHTER_LIMIT,
  GST_ALLOC_MERGE_INTERSECTION,
  GST_ALLOC_MERGE_UNION,
  GST_ALLOC_MERGE_AGREE,
  GST_ALLOC_MERGE_HEAP_INTERSECTION,
  GST_ALLOC_MERGE_DRM_FORMAT_INTERSECTION,
} GstAllocMergeRule;

typedef struct _GstAllocConstraints GstAllocConstraints;
typedef struct _GstAllocConstraintsPrivate GstAllocConstraintsPrivate;

/**
 * GstAllocConstraints:
 * @stride_align: bytes; every plane stride is a multiple (1 = none).
 * @offset_align: bytes; every plane starts at a multiple within its memory
 *   (1 = none).
 * @size_align: bytes; every memory's size is a multiple (1 = none).
 * @width_align: pixels; the padded plane width is a multiple (1 = none).
 * @height_align: pixels; the padded plane height is a multiple (1 = none).
 * @padding_top: pixel rows reserved above the picture.
 * @padding_bottom: pixel rows reserved below the picture.
 * @padding_left: pixel columns reserved left of the picture.
 * @padding_right: pixel columns reserved right of the picture.
 * @prefix_bytes: bytes reserved before the data of each memory, as
 *   #GstAllocationParams.prefix.
 * @padding_bytes: bytes reserved after the data of each memory, as
 *   #GstAllocationParams.padding.
 * @min_buffers: buffers the consumer keeps at once (0 = none).
 * @max_buffers: most buffers the consumer can take (0 = unlimited).
 * @max_size: bytes a buffer may span, counting each memory from the start
 *   of its allocation to the end of its data (0 = unlimited).
 * @memory: memory kinds accepted (%GST_ALLOC_MEMORY_ANY = none).
 * @contiguous: the memory must be physically contiguous.
 * @cpu_access: how the CPU touches the memory.
 * @cache: cache policy.
 * @heaps: (nullable) (array zero-terminated=1): acceptable DMA-heap names;
 *   %NULL means any heap. When set, only those DMA heaps qualify.
 * @planes: plane to memory mapping.
 * @default_layout: the consumer reads frames at #GstVideoInfo's default
 *   strides and offsets: it does not read #GstVideoMeta.
 * @drm_formats: (nullable) (element-type GstAllocDrmFormat): the DRM
 *   formats with modifiers a dma-buf consumer accepts, sorted by fourcc
 *   (as text) then modifier, each once; %NULL means any. Change it with
 *   gst_alloc_constraints_add_drm_format().
 *
 * What a consumer needs from a buffer. Every field's default means "no
 * constraint", so a set after gst_alloc_constraints_init() accepts
 * anything. Each field also remembers who asked for it (its origin), so a
 * failed merge can name both sides; see gst_alloc_constraints_get_origin().
 * The origins live in private storage: copy a set with
 * gst_alloc_constraints_copy(), never by assigning the struct.
 *
 * Merge rules (gst_alloc_constraints_merge(), #GstAllocMergeRule):
 * alignments by least common multiple, paddings and @min_buffers by
 * maximum, @max_buffers and @max_size by minimum of the limited values,
 * @memory, @heaps and @drm_formats by intersection, @contiguous,
 * @cpu_access and @default_layout by union, @cache and @planes must agree.
 *
 * The struct keeps its size as fields are added: a new field takes its
 * room from the reserved space at the end.
 *
 * Since: 1.0
 */
struct _GstAllocConstraints
{
  guint32 stride_align;
  guint32 offset_align;
  guint32 size_align;
  guint32 width_align;
  guint32 height_align;
  guint32 padding_top;
  guint32 padding_bottom;
  guint32 padding_left;
  guint32 padding_right;
  guint32 prefix_bytes;
  guint32 padding_bytes;
  guint32 min_buffers;
  guint32 max_buffers;
  guint64 max_size;
  GstAllocMemoryFlags memory;
  gboolean contiguous;
  GstAllocCpuAccess cpu_access;
  GstAllocCache cache;
  gchar **heaps;
  GstAllocPlanes planes;
  gboolean default_layout;
  GArray *drm_formats;

  /*< private >*/
  GstAllocConstraintsPrivate *priv;
  gpointer _gst_reserved[GST_PADDING_LARGE - 1];
};

/**
 * GST_TYPE_ALLOC_CONSTRAINTS:
 *
 * The boxed #GType of #GstAllocConstraints.
 *
 * Since: 1.0
 */
#define GST_TYPE_ALLOC_CONSTRAINTS (gst_alloc_constraints_get_type ())

GST_ALLOC_API
GType gst_alloc_constraints_get_type (void);

GST_ALLOC_API
void gst_alloc_constraints_init (GstAllocConstraints * constraints);

GST_ALLOC_API
void gst_alloc_constraints_clear (GstAllocConstraints * constraints);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_new (void);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_copy (const GstAllocConstraints * constraints);

GST_ALLOC_API
void gst_alloc_constraints_free (GstAllocConstraints * constraints);

GST_ALLOC_API
gboolean gst_alloc_constraints_is_equal (const GstAllocConstraints * a,
    const GstAllocConstraints * b);

GST_ALLOC_API
gboolean gst_alloc_constraints_validate (const GstAllocConstraints * constraints,
    GError ** error);

GST_ALLOC_API
gboolean gst_alloc_constraints_is_empty (const GstAllocConstraints * constraints);

GST_ALLOC_API
gboolean gst_alloc_constraints_field_is_set (const GstAllocConstraints * constraints,
    GstAllocField field);

GST_ALLOC_API
void gst_alloc_constraints_set_origin (GstAllocConstraints * constraints,
    const gchar * origin);

GST_ALLOC_API
const gchar *gst_alloc_constraints_get_origin (const GstAllocConstraints * constraints,
    GstAllocField field);

GST_ALLOC_API
void gst_alloc_constraints_set_field_origin (GstAllocConstraints * constraints,
    GstAllocField field, const gchar * origin);

GST_ALLOC_API
const gchar *gst_alloc_field_get_name (GstAllocField field);

GST_ALLOC_API
gboolean gst_alloc_field_from_name (const gchar * name, GstAllocField * field);

GST_ALLOC_API
const gchar *gst_alloc_field_get_syntax (GstAllocField field);

GST_ALLOC_API
const gchar *gst_alloc_field_get_description (GstAllocField field);

GST_ALLOC_API
GstAllocMergeRule gst_alloc_field_get_merge_rule (GstAllocField field);

GST_ALLOC_API
gchar *gst_alloc_constraints_describe_field (const GstAllocConstraints * constraints,
    GstAllocField field);

/* merge */

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_merge (const GstAllocConstraints * a,
    const GstAllocConstraints * b, GError ** error);

GST_ALLOC_API
gboolean gst_alloc_constraints_merge_into (GstAllocConstraints * dest,
    const GstAllocConstraints * other, GError ** error);

/* serialisation: string form */

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_string (const gchar * str,
    const gchar * origin, GError ** error);

GST_ALLOC_API
gchar *gst_alloc_constraints_to_string (const GstAllocConstraints * constraints);

GST_ALLOC_API
const gchar *gst_alloc_constraints_accepted_fields (void);

/* serialisation: GstStructure form */

/**
 * GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME:
 *
 * Name of the #GstStructure that gst_alloc_constraints_to_structure() makes.
 *
 * Since: 1.0
 */
#define GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME "gst-alloc-constraints"

GST_ALLOC_API
GstStructure *gst_alloc_constraints_to_structure (const GstAllocConstraints * constraints);

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_structure (const GstStructure * structure,
    GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstAllocConstraints, gst_alloc_constraints_free)

G_END_DECLS
