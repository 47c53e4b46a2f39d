/* commands — the tables of tutti's grammar (opts.h): every option
 * (options.def) and every command and subcommand (commands.def). Static
 * data only: nothing runs at start-up. */
#include "cli.h"
#include "registry.h"   /* REGISTRY_REGION, REGISTRY_ACCOUNT in commands.def's help */

#define O(id)  ((cli_mask)1 << OPT_##id)

/* What function create and update take. */
#define FUNCTION_OPTIONS                                                                    \
	(O(CODE) | O(HANDLER) | O(LAYER) | O(NO_LAYERS) | O(TIMEOUT) | O(MEMORY) | O(TMP) | \
	 O(ENV) | O(NO_ENV) | O(NETWORK) | O(NO_NETWORK) | O(RESERVED_CONCURRENCY) |          \
	 O(DESCRIPTION))

static const struct cli_opt opts[] = {
#define OPT(id, name, shortname, arg, max, meta, help) \
	[OPT_##id] = { name, shortname, arg##_ARG, max, meta, help },
#define NONE_ARG   CLI_ARG_NONE
#define REQ_ARG    CLI_ARG_REQ
#define OPT_ARG    CLI_ARG_OPT
#define CHOICE_ARG CLI_ARG_CHOICE
#include "options.def"
#undef OPT
};

static const struct cli_cmd cmds[] = {
#define GROUP(id, name, summary, notes) \
	[CMD_##id] = { name, CMD_NONE, true, "", "", summary, 0, 0, notes },
#define CMD(id, parent, name, fn, pos, usage, summary, options, flags, notes) \
	[CMD_##id] = { name, CMD_##parent, false, pos, usage, summary, options, flags, notes },
#include "commands.def"
#undef GROUP
#undef CMD
};

_Static_assert(OPT_COUNT <= CLI_OPTS_MAX, "too many options for a cli_cmd's mask");

const struct cli_grammar cli_grammar = {
	.prog = "tutti",
	.opts = opts,
	.nopts = OPT_COUNT,
	.help = OPT_HELP,
	.cmds = cmds,
	.ncmds = CMD_COUNT,
};
