# graph: a state machine as DOT or Mermaid, and an execution's history as
# per-state statuses (graph/graph.h): pure C + jansson, in libtutti. The SVG
# layout (graph_svg.c, Graphviz's libgvc: ~40 shared libraries) is in
# tutti-integrations.so, reached through integ_load()->graph_svg.
LIB_SRCS       += $(filter-out graph/graph_svg.c,$(wildcard graph/*.c))
INTEG_SRCS     += graph/graph_svg.c
INTEG_PKGS     += libgvc
PUBLIC_HEADERS += graph/graph.h
