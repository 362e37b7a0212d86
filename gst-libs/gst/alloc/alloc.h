/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc-prelude.h>
#include <gst/alloc/gstallocerror.h>
#include <gst/alloc/gstallocconstraints.h>
#include <gst/alloc/gstallocdrmformat.h>
#include <gst/alloc/gstalloctranslate.h>
#include <gst/alloc/gstallocbackend.h>
#include <gst/alloc/gstallocbackends.h>
#include <gst/alloc/gstallocsolver.h>
#include <gst/alloc/gstalloclayout.h>
#include <gst/alloc/gstallocverify.h>
#include <gst/alloc/gstallocview.h>
#include <gst/alloc/gstallocpool.h>
#include <gst/alloc/gstallocquery.h>
#include <gst/alloc/gstallocdevice.h>
#include <gst/alloc/gstallocdrm.h>

G_BEGIN_DECLS

GST_ALLOC_API
void gst_alloc_init (void);

G_END_DECLS
