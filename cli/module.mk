CLI_SRCS += cli/main.c cli/cmd_build.c cli/cmd_invoke.c cli/cmd_function.c cli/cmd_layer.c cli/cmd_run.c cli/cmd_validate.c
