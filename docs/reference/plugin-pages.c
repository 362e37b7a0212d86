/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-plugin-pages: the reference pages of the plugins, written from
 * what the plugins register, so that they never fall behind the code.
 *
 * Loads every plugin under the directories given (as GST_PLUGIN_PATH_1_0
 * would, with the system plugins and the user's registry left out) and
 * writes one DocBook <reference> with a page per plugin, per element
 * (details, pad templates, properties, the properties of its pads) and per
 * tracer (its parameters); the long descriptions are the "SECTION:" doc
 * comments of the sources. With --check, anything undocumented (an element
 * or tracer without a description, a property without a blurb, a tracer
 * parameter its plugin's description does not name) fails the run. */

#include "plugin-pages.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

void
pages_problem (Pages * pages, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (pages->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
write_description (Pages * pages, const gchar * section, const gchar * name)
{
  const gchar *text = g_hash_table_lookup (pages->sections, section);

  if (!text)
    pages_problem (pages, "%s: no \"SECTION:%s\" doc comment in the sources",
        name, section);
  g_string_append_printf (pages->out, "<refsect1><title>Description</title>\n"
      "%s</refsect1>\n", text ? text : "<para>Not documented.</para>\n");
}

static void
write_hierarchy (Pages * pages, GType type)
{
  GString *chain = g_string_new (g_type_name (type));
  GType *ifaces, parent;
  guint i, n;

  for (parent = g_type_parent (type); parent; parent = g_type_parent (parent)) {
    g_string_prepend (chain, " → ");
    g_string_prepend (chain, g_type_name (parent));
  }
  g_string_append_printf (pages->out, "<refsect1><title>Hierarchy</title>\n"
      "<para><literal>%s</literal></para>\n", chain->str);
  g_string_free (chain, TRUE);
  ifaces = g_type_interfaces (type, &n);
  for (i = 0; i < n; i++)
    g_string_append_printf (pages->out, "%s<literal>%s</literal>%s",
        i ? ", " : "<para>Implements ", g_type_name (ifaces[i]),
        i + 1 == n ? ".</para>\n" : "");
  g_free (ifaces);
  g_string_append (pages->out, "</refsect1>\n");
}

static void
write_details (Pages * pages, GstElementFactory * factory, GstPlugin * plugin)
{
  static const gchar *keys[] = { GST_ELEMENT_METADATA_LONGNAME,
    GST_ELEMENT_METADATA_KLASS, GST_ELEMENT_METADATA_DESCRIPTION,
    GST_ELEMENT_METADATA_AUTHOR
  };
  static const gchar *labels[] = { "Long name", "Class", "Summary", "Author" };
  gchar *value;
  guint i;

  g_string_append (pages->out, "<refsect1><title>Factory details</title>\n"
      "<variablelist>\n");
  for (i = 0; i < G_N_ELEMENTS (keys); i++) {
    value = pages_escape (gst_element_factory_get_metadata (factory, keys[i]));
    g_string_append_printf (pages->out, "<varlistentry><term>%s</term>"
        "<listitem><para>%s</para></listitem></varlistentry>\n", labels[i],
        value);
    g_free (value);
  }
  g_string_append_printf (pages->out, "<varlistentry><term>Rank</term>"
      "<listitem><para>%u</para></listitem></varlistentry>\n"
      "<varlistentry><term>Plugin</term><listitem><para><link "
      "linkend=\"plugin-%s\">%s</link></para></listitem></varlistentry>\n"
      "</variablelist></refsect1>\n",
      gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (factory)),
      gst_plugin_get_name (plugin), gst_plugin_get_name (plugin));
}

static const gchar *
presence_name (GstPadPresence presence)
{
  switch (presence) {
    case GST_PAD_ALWAYS:
      return "always";
    case GST_PAD_SOMETIMES:
      return "sometimes";
    default:
      return "on request";
  }
}

/* One structure of the caps per line. */
static gchar *
caps_text (GstCaps * caps)
{
  gchar *text = gst_caps_to_string (caps), **parts, *joined, *escaped;

  parts = g_strsplit (text, "; ", -1);
  joined = g_strjoinv (";\n", parts);
  escaped = pages_escape (joined);
  g_strfreev (parts);
  g_free (joined);
  g_free (text);
  return escaped;
}

static void
write_pad_template (Pages * pages, GstPadTemplate * templ)
{
  GstCaps *caps = gst_pad_template_get_caps (templ);
  gchar *text = caps_text (caps);
  GType pad_type = G_TYPE_NONE;

  g_object_get (templ, "gtype", &pad_type, NULL);
  g_string_append_printf (pages->out, "<varlistentry><term><literal>%s"
      "</literal></term><listitem><para>%s pad, %s", templ->name_template,
      templ->direction == GST_PAD_SRC ? "Source" : "Sink",
      presence_name (templ->presence));
  if (pad_type != G_TYPE_NONE && pad_type != GST_TYPE_PAD)
    g_string_append_printf (pages->out, "; its pads are <literal>%s</literal> "
        "objects (see Pad properties)", g_type_name (pad_type));
  g_string_append_printf (pages->out, ".</para>\n<programlisting>%s"
      "</programlisting></listitem></varlistentry>\n", text);
  gst_caps_unref (caps);
  g_free (text);
}

/* The pad templates, then the properties of any pad class of our own. */
static void
write_pads (Pages * pages, GstElementClass * klass, const gchar * name)
{
  GList *l, *templates = gst_element_class_get_pad_template_list (klass);
  GType pad_type;
  GObjectClass *pad_class;
  gchar *what, *id;

  g_string_append (pages->out, "<refsect1><title>Pad templates</title>\n");
  g_string_append (pages->out, templates ? "<variablelist>\n" :
      "<para>None.</para>\n");
  for (l = templates; l; l = l->next)
    write_pad_template (pages, l->data);
  g_string_append (pages->out, templates ? "</variablelist></refsect1>\n" :
      "</refsect1>\n");
  for (l = templates; l; l = l->next) {
    pad_type = G_TYPE_NONE;
    g_object_get (l->data, "gtype", &pad_type, NULL);
    if (pad_type == G_TYPE_NONE || !pages_type_is_ours (pad_type))
      continue;
    what = g_strdup_printf ("%s pad %s", name,
        GST_PAD_TEMPLATE_NAME_TEMPLATE (l->data));
    id = g_strdup_printf ("element-%s-pad", name);
    g_string_append_printf (pages->out, "<refsect1 id=\"%s\"><title>Pad "
        "properties</title>\n<para>Of the <literal>%s</literal> pads, "
        "<literal>%s</literal> objects.</para>\n", id,
        GST_PAD_TEMPLATE_NAME_TEMPLATE (l->data), g_type_name (pad_type));
    pad_class = g_type_class_ref (pad_type);
    pages_write_properties (pages, pad_class, what, id);
    g_type_class_unref (pad_class);
    g_string_append (pages->out, "</refsect1>\n");
    g_free (what);
    g_free (id);
  }
}

static void
open_page (Pages * pages, const gchar * id, const gchar * name,
    const gchar * purpose)
{
  gchar *p = pages_escape (purpose);

  g_string_append_printf (pages->out, "<refentry id=\"%s\">\n<refmeta>"
      "<refentrytitle>%s</refentrytitle><manvolnum>3</manvolnum></refmeta>\n"
      "<refnamediv><refname>%s</refname><refpurpose>%s</refpurpose>"
      "</refnamediv>\n", id, name, name, p);
  g_free (p);
}

static void
write_element (Pages * pages, GstElementFactory * factory, GstPlugin * plugin)
{
  const gchar *name = GST_OBJECT_NAME (factory);
  GType type = gst_element_factory_get_element_type (factory);
  GstElementClass *klass = g_type_class_ref (type);
  gchar *id = g_strdup_printf ("element-%s", name);

  open_page (pages, id, name, gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_LONGNAME));
  write_description (pages, id, name);
  write_details (pages, factory, plugin);
  write_pads (pages, klass, name);
  g_string_append (pages->out, "<refsect1><title>Properties</title>\n");
  pages_write_properties (pages, G_OBJECT_CLASS (klass), name, id);
  g_string_append (pages->out, "</refsect1>\n");
  write_hierarchy (pages, type);
  g_string_append (pages->out, "</refentry>\n");
  g_type_class_unref (klass);
  g_free (id);
}

/* Tracers take their parameters as GST_TRACERS="name(param=value,...)";
 * ours are its properties. gst-inspect-1.0 of 1.22 shows only the plugin's
 * description for a tracer, so each parameter must be named there too. */
static void
write_tracer (Pages * pages, GstTracerFactory * factory, GstPlugin * plugin)
{
  const gchar *name = GST_OBJECT_NAME (factory);
  GType type = gst_tracer_factory_get_tracer_type (factory);
  GObjectClass *klass = g_type_class_ref (type);
  gchar *id = g_strdup_printf ("tracer-%s", name), *needle;
  GParamSpec **specs;
  guint i, n;

  open_page (pages, id, name, "tracer");
  write_description (pages, id, name);
  g_string_append_printf (pages->out, "<refsect1><title>Parameters</title>\n"
      "<para>Given as <literal>GST_TRACERS=\"%s(name=value,...)\"</literal>; "
      "the tracer's properties. Plugin: <link linkend=\"plugin-%s\">%s</link>."
      "</para>\n", name, gst_plugin_get_name (plugin),
      gst_plugin_get_name (plugin));
  pages_write_properties (pages, klass, name, id);
  g_string_append (pages->out, "</refsect1>\n");
  write_hierarchy (pages, type);
  g_string_append (pages->out, "</refentry>\n");

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    needle = g_strdup_printf ("%s=", specs[i]->name);
    if (pages_type_is_ours (specs[i]->owner_type)
        && !strstr (gst_plugin_get_description (plugin), needle))
      pages_problem (pages, "%s: parameter %s is not named in the "
          "description of plugin %s, which is all gst-inspect-1.0 1.22 "
          "shows", name, specs[i]->name, gst_plugin_get_name (plugin));
    g_free (needle);
  }
  g_free (specs);
  g_type_class_unref (klass);
  g_free (id);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (GST_OBJECT_NAME (a), GST_OBJECT_NAME (b));
}

/* The plugin's page (what gst-inspect-1.0 says of it and its features),
 * then a page per feature. */
static void
write_plugin (Pages * pages, GstPlugin * plugin)
{
  const gchar *name = gst_plugin_get_name (plugin);
  GList *l, *features;
  gchar *id = g_strdup_printf ("plugin-%s", name), *desc, *file;
  GstPluginFeature *f;

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      name);
  features = g_list_sort (features, by_name);
  desc = pages_escape (gst_plugin_get_description (plugin));
  file = g_path_get_basename (gst_plugin_get_filename (plugin));
  open_page (pages, id, name, "plugin");
  g_string_append_printf (pages->out, "<refsect1><title>Plugin</title>\n"
      "<para>%s</para>\n<para>File <filename>%s</filename>, version %s, "
      "licence %s.</para>\n<itemizedlist>\n", desc, file,
      gst_plugin_get_version (plugin), gst_plugin_get_license (plugin));
  for (l = features; l; l = l->next) {
    f = l->data;
    g_string_append_printf (pages->out, "<listitem><para><link linkend=\"%s-"
        "%s\">%s</link> (%s)</para></listitem>\n", GST_IS_TRACER_FACTORY (f) ?
        "tracer" : "element", GST_OBJECT_NAME (f), GST_OBJECT_NAME (f),
        GST_IS_TRACER_FACTORY (f) ? "tracer" : "element");
  }
  g_string_append (pages->out, "</itemizedlist></refsect1>\n</refentry>\n");
  for (l = features; l; l = l->next) {
    f = gst_plugin_feature_load (l->data);
    if (!f)
      pages_problem (pages, "%s: cannot be loaded", GST_OBJECT_NAME (l->data));
    else if (GST_IS_ELEMENT_FACTORY (f))
      write_element (pages, GST_ELEMENT_FACTORY (f), plugin);
    else if (GST_IS_TRACER_FACTORY (f))
      write_tracer (pages, GST_TRACER_FACTORY (f), plugin);
    if (f)
      gst_object_unref (f);
  }
  gst_plugin_feature_list_free (features);
  g_free (desc);
  g_free (file);
  g_free (id);
}

/* Only the plugins under @dirs: the system's and the user's registry stay
 * out, through a registry of our own in a temporary directory. */
static gchar *
init_gstreamer (gchar ** dirs, int *argc, char ***argv)
{
  gchar *tmp = g_dir_make_tmp ("plugin-pages-XXXXXX", NULL), *registry, *path;

  if (!tmp) {
    g_printerr ("plugin-pages: cannot make a temporary directory\n");
    exit (2);
  }
  registry = g_build_filename (tmp, "registry.bin", NULL);
  path = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, dirs);
  g_setenv ("GST_REGISTRY_1_0", registry, TRUE);
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
  g_setenv ("GST_PLUGIN_PATH_1_0", path, TRUE);
  gst_init (argc, argv);
  g_free (path);
  g_free (registry);
  return tmp;
}

static guint
write_pages (Pages * pages)
{
  guint n;
  GList *l, *plugins = gst_registry_get_plugin_list (gst_registry_get ());

  plugins = g_list_sort (plugins, by_name);
  g_string_append (pages->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE reference PUBLIC \"-//OASIS//DTD DocBook XML V4.3//EN\"\n"
      "  \"http://www.oasis-open.org/docbook/xml/4.3/docbookx.dtd\">\n"
      "<reference id=\"plugins\">\n<title>Plugins, elements and tracers"
      "</title>\n");
  /* The registry also holds GStreamer's static elements (bin, pipeline),
   * which come from no file. */
  for (l = plugins, n = 0; l; l = l->next) {
    if (!gst_plugin_get_filename (l->data))
      continue;
    write_plugin (pages, l->data);
    n++;
  }
  g_string_append (pages->out, "</reference>\n");
  if (!n)
    pages_problem (pages, "no plugin found");
  gst_plugin_list_free (plugins);
  return n;
}

int
main (int argc, char **argv)
{
  gchar *output = NULL, **plugin_dirs = NULL, **source_dirs = NULL, *tmp,
      *registry;
  gboolean check = FALSE;
  GOptionEntry entries[] = {
    {"plugins", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &plugin_dirs,
        "A directory of plugins, repeatable", "DIR"},
    {"sources", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &source_dirs,
        "A directory of the plugins' sources, repeatable", "DIR"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
        "The DocBook file to write", "FILE"},
    {"check", 'c', 0, G_OPTION_ARG_NONE, &check,
        "Fail when anything is undocumented", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- write the plugins' pages");
  GError *err = NULL;
  Pages pages = { g_string_new (NULL), g_ptr_array_new_with_free_func (g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free)
  };
  guint i, n_plugins;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || !plugin_dirs) {
    g_printerr ("plugin-pages: %s\n", err ? err->message : "no --plugins");
    return 2;
  }
  g_option_context_free (ctx);
  tmp = init_gstreamer (plugin_dirs, &argc, &argv);
  for (i = 0; source_dirs && source_dirs[i]; i++)
    pages_read_sections (&pages, source_dirs[i]);
  n_plugins = write_pages (&pages);
  if (output && !g_file_set_contents (output, pages.out->str, -1, &err)) {
    g_printerr ("plugin-pages: %s\n", err->message);
    return 2;
  }
  for (i = 0; i < pages.problems->len; i++)
    g_printerr ("plugin-pages: %s%s\n", check ? "" : "warning: ",
        (gchar *) pages.problems->pdata[i]);
  g_printerr ("plugin-pages: %u plugins, %u problems\n", n_plugins,
      pages.problems->len);
  registry = g_build_filename (tmp, "registry.bin", NULL);
  g_remove (registry);
  g_rmdir (tmp);
  g_free (registry);
  return check && pages.problems->len ? 1 : 0;
}
