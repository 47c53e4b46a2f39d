# integrations: HTTP and S3 tasks and connections. They are not in libtutti:
# they form $(BUILD)/lib/tutti-integrations.so (libcurl, libs3, libxml2),
# which the core loads on demand (integ_loader.c, the one file of this
# folder in libtutti), and libtutti-integ.a for the tests and benchmarks
# that link them statically.
LIB_SRCS       += orchestrator/integrations/integ_loader.c
INTEG_SRCS     += $(filter-out orchestrator/integrations/integ_loader.c,$(wildcard orchestrator/integrations/*.c))
INTEG_PKGS     += libcurl libxml-2.0
INTEG_LIBS     += -ls3
PUBLIC_HEADERS += orchestrator/integrations/integ_loader.h orchestrator/integrations/integrations.h \
		  orchestrator/integrations/http_task.h orchestrator/integrations/s3_task.h
