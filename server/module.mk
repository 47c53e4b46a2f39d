# server: what `tutti serve` does behind svc_call (service.h): the Step
# Functions, EventBridge and Scheduler actions, recovery, the scheduler.
LIB_SRCS       += $(wildcard server/*.c)
PUBLIC_HEADERS += server/service.h
