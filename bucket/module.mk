# bucket: bucket stores (a folder on disk, S3-compatible endpoints through
# libs3 or SigV4); bucket.h is the interface, bucket_int.h the backend
# table. Compiled once: the objects go into tutti-integrations.so and, built
# without sanitizers, into the s3 layer (layers/module.mk).
BUCKET_SRCS    := $(wildcard bucket/*.c)
INTEG_SRCS     += $(BUCKET_SRCS)
PUBLIC_HEADERS += bucket/bucket.h
