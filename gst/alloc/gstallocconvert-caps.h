/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocconvert's GstBaseTransform caps functions (gstallocconvert-caps.c). */

#pragma once

#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

/* Like videoconvert: any raw format on the other side, the unchanged caps
 * first. */
GstCaps *gst_alloc_convert_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter);

/* The input caps unchanged when the other side takes them; otherwise its
 * first structure, keeping the input's colour description where it can. */
GstCaps *gst_alloc_convert_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps);

G_END_DECLS
