/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Properties as DocBook: type, default, range, flags and values for the
 * properties our types define; names only for the ones inherited from
 * GStreamer's base classes, which GStreamer documents. */

#include "plugin-pages.h"

/* Every GType of the project carries its prefix, so that nothing clashes
 * with upstream names; that is also what tells ours from GStreamer's. */
gboolean
pages_type_is_ours (GType type)
{
  return g_str_has_prefix (g_type_name (type), "GstAlloc");
}

static gchar *
type_label (GParamSpec * spec)
{
  GType type = spec->value_type;

  if (G_IS_PARAM_SPEC_ENUM (spec))
    return g_strdup_printf ("enum %s", g_type_name (type));
  if (G_IS_PARAM_SPEC_FLAGS (spec))
    return g_strdup_printf ("flags %s", g_type_name (type));
  if (type == G_TYPE_STRING)
    return g_strdup ("string");
  if (type == G_TYPE_BOOLEAN)
    return g_strdup ("boolean");
  return g_strdup (g_type_name (type));
}

static gchar *
default_text (GParamSpec * spec)
{
  const GValue *value = g_param_spec_get_default_value (spec);
  GEnumValue *e;

  if (G_IS_PARAM_SPEC_ENUM (spec)) {
    e = g_enum_get_value (G_PARAM_SPEC_ENUM (spec)->enum_class,
        g_value_get_enum (value));
    return g_strdup (e ? e->value_nick : "?");
  }
  if (G_VALUE_HOLDS_STRING (value))
    return g_value_get_string (value) ?
        g_strdup_printf ("\"%s\"", g_value_get_string (value)) :
        g_strdup ("none (NULL)");
  if (G_VALUE_HOLDS_OBJECT (value) || G_VALUE_HOLDS_BOXED (value))
    return g_strdup ("none (NULL)");
  return g_strdup_value_contents (value);
}

/* "min to max", or NULL for none or the type's whole range. */
#define RANGE(spec, TYPE, fmt, lowest, highest) \
  (TYPE (spec)->minimum == (lowest) && TYPE (spec)->maximum == (highest) ? \
      NULL : g_strdup_printf (fmt " to " fmt, TYPE (spec)->minimum, \
          TYPE (spec)->maximum))

static gchar *
range_text (GParamSpec * spec)
{
  if (G_IS_PARAM_SPEC_INT (spec))
    return RANGE (spec, G_PARAM_SPEC_INT, "%d", G_MININT, G_MAXINT);
  if (G_IS_PARAM_SPEC_UINT (spec))
    return RANGE (spec, G_PARAM_SPEC_UINT, "%u", 0, G_MAXUINT);
  if (G_IS_PARAM_SPEC_INT64 (spec))
    return RANGE (spec, G_PARAM_SPEC_INT64, "%" G_GINT64_FORMAT, G_MININT64,
        G_MAXINT64);
  if (G_IS_PARAM_SPEC_UINT64 (spec))
    return RANGE (spec, G_PARAM_SPEC_UINT64, "%" G_GUINT64_FORMAT, 0,
        G_MAXUINT64);
  if (G_IS_PARAM_SPEC_DOUBLE (spec))
    return RANGE (spec, G_PARAM_SPEC_DOUBLE, "%g", -G_MAXDOUBLE, G_MAXDOUBLE);
  return NULL;
}

static gchar *
flags_text (GParamSpec * spec)
{
  GString *text = g_string_new (NULL);

  if ((spec->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE)
    g_string_append (text, "read/write");
  else
    g_string_append (text, spec->flags & G_PARAM_READABLE ? "read-only" :
        "write-only");
  if (spec->flags & G_PARAM_CONSTRUCT_ONLY)
    g_string_append (text, ", construct-only");
  if (spec->flags & GST_PARAM_CONTROLLABLE)
    g_string_append (text, ", controllable");
  if (spec->flags & GST_PARAM_MUTABLE_PLAYING)
    g_string_append (text, ", changeable in any state");
  else if (spec->flags & GST_PARAM_MUTABLE_PAUSED)
    g_string_append (text, ", changeable up to the PAUSED state");
  else if (spec->flags & GST_PARAM_MUTABLE_READY)
    g_string_append (text, ", changeable only in the NULL and READY states");
  return g_string_free (text, FALSE);
}

static void
write_values (Pages * pages, GParamSpec * spec)
{
  GEnumClass *e;
  GFlagsClass *f;
  gchar *nick, *desc;
  guint i;

  if (!G_IS_PARAM_SPEC_ENUM (spec) && !G_IS_PARAM_SPEC_FLAGS (spec))
    return;
  g_string_append (pages->out, "<itemizedlist>\n");
  e = G_IS_PARAM_SPEC_ENUM (spec) ? G_PARAM_SPEC_ENUM (spec)->enum_class : NULL;
  f = e ? NULL : G_PARAM_SPEC_FLAGS (spec)->flags_class;
  for (i = 0; i < (e ? e->n_values : f->n_values); i++) {
    nick = pages_escape (e ? e->values[i].value_nick : f->values[i].value_nick);
    desc = pages_escape (e ? e->values[i].value_name : f->values[i].value_name);
    g_string_append_printf (pages->out, "<listitem><para><literal>%s</literal>"
        " (%u): %s</para></listitem>\n", nick, e ? (guint) e->values[i].value :
        f->values[i].value, desc);
    g_free (nick);
    g_free (desc);
  }
  g_string_append (pages->out, "</itemizedlist>\n");
}

static void
write_property (Pages * pages, GParamSpec * spec, const gchar * what,
    const gchar * id)
{
  const gchar *blurb = g_param_spec_get_blurb (spec);
  gchar *type = type_label (spec), *def = default_text (spec),
      *range = range_text (spec), *flags = flags_text (spec), *t, *d, *b;

  if (!blurb || !*blurb || g_strcmp0 (blurb, g_param_spec_get_nick (spec)) == 0)
    pages_problem (pages, "%s: property %s has no description", what,
        spec->name);
  t = pages_escape (type);
  d = pages_escape (def);
  b = pages_escape (blurb);
  g_string_append_printf (pages->out, "<varlistentry id=\"%s-%s\">"
      "<term><literal>%s</literal></term>\n<listitem><para>%s</para>\n"
      "<para>Type: <type>%s</type>. Default: <literal>%s</literal>.", id,
      spec->name, spec->name, b, t, d);
  if (range)
    g_string_append_printf (pages->out, " Range: %s.", range);
  g_string_append_printf (pages->out, " Flags: %s.</para>\n", flags);
  write_values (pages, spec);
  g_string_append (pages->out, "</listitem></varlistentry>\n");
  g_free (type);
  g_free (def);
  g_free (range);
  g_free (flags);
  g_free (t);
  g_free (d);
  g_free (b);
}

/* The properties of @klass: ours in full, then the inherited ones by name,
 * leaving out GObject's, GstObject's and GstPad's own ("name", "parent",
 * "direction", ...), which every element and pad has. @what names the
 * class in problems, @id prefixes the entries' ids. */
void
pages_write_properties (Pages * pages, GObjectClass * klass,
    const gchar * what, const gchar * id)
{
  GParamSpec **specs;
  GString *inherited = g_string_new (NULL);
  guint i, n, ours = 0;

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    if (!pages_type_is_ours (specs[i]->owner_type))
      continue;
    if (ours++ == 0)
      g_string_append (pages->out, "<variablelist>\n");
    write_property (pages, specs[i], what, id);
  }
  if (ours)
    g_string_append (pages->out, "</variablelist>\n");
  for (i = 0; i < n; i++) {
    GType owner = specs[i]->owner_type;

    if (pages_type_is_ours (owner) || owner == G_TYPE_OBJECT
        || owner == GST_TYPE_OBJECT || owner == GST_TYPE_PAD
        || owner == GST_TYPE_TRACER)
      continue;
    g_string_append_printf (inherited, "%s<literal>%s</literal> (%s)",
        inherited->len ? ", " : "", specs[i]->name, g_type_name (owner));
  }
  if (!ours)
    g_string_append (pages->out, "<para>None of its own.</para>\n");
  if (inherited->len)
    g_string_append_printf (pages->out, "<para>Inherited from GStreamer's "
        "base classes: %s.</para>\n", inherited->str);
  g_string_free (inherited, TRUE);
  g_free (specs);
}
