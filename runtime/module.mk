# runtime: the zygote, the sandbox steps, execution environments and warm
# pools behind the invoke API (rt.h). fnconf.h is the function
# configuration the registry and the engine hand to it.
LIB_SRCS       += $(wildcard runtime/*.c)
PUBLIC_HEADERS += runtime/rt.h runtime/fnconf.h
