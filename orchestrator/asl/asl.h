/* asl — Amazon States Language definitions, parsed, validated and compiled.
 *
 * asl_compile() turns the JSON text of a state machine definition (at most
 * ASL_DEFINITION_MAX bytes) into an immutable compiled model, or returns
 * NULL and lists every problem it found in a struct asl_diag, one line each:
 * the JSON path of the offending field, ": ", a message — sorted in document
 * order. The model is what the interpreter runs, laid out so that running
 * needs no string look-ups and no parsing:
 *   - states are an array; Next, Default, Choice rule Next and Catch Next
 *     are indices into it (ASL_NONE when absent);
 *   - InputPath, OutputPath, ResultPath, ItemsPath, ...Path fields, choice
 *     Variables are compiled JSONPaths (jsonpath.h);
 *   - Parameters, ItemSelector, ResultSelector, Credentials and Assign are
 *     compiled payload templates (struct asl_template) whose "key.$" leaves
 *     hold a compiled JSONPath or intrinsic call (intrinsics.h);
 *   - Choice rules are trees with parsed literals (numbers, timestamps,
 *     StringMatches patterns);
 *   - Parallel branches and the Map item processor are nested machines.
 * Both query languages are supported (QueryLanguage at the top level or per
 * state; a JSONPath machine may hold JSONata states, not the reverse). In a
 * JSONata state every "{% expr %}" string of Arguments, Output, Assign,
 * Condition, Items, ItemSelector, ... is compiled once here (jsonata.h) into
 * an ASL_T_JSONATA template leaf; syntax errors are problems located at the
 * field (asl_jsonata.c).
 *
 * Ownership: the caller owns a returned machine (asl_machine_free) and the
 * storage of a diag it initialised (asl_diag_free). Everything reachable
 * from a machine — nested machines, templates, strings, jansson values — is
 * owned by the top-level machine and borrowed by readers: never free or
 * json_decref it. jansson values in the model (literals, Result) are shared:
 * json_incref is fine (refcounts are atomic), but json_deep_copy before
 * anything could modify one (e.g. a ResultPath placing a result inside it).
 * Thread-safety: a compiled machine is read-only and may be used by any
 * number of threads at once; asl_compile keeps no global state. */
#ifndef TUTTI_ASL_H
#define TUTTI_ASL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASL_DEFINITION_MAX (1024 * 1024) /* bytes, AWS's limit */
#define ASL_DIAG_MAX       100           /* problem lines kept in a diag */
#define ASL_NESTING_MAX    64            /* machines inside machines */
#define ASL_NAME_MAX       80            /* characters in a state name */
#define ASL_NONE           (-1)          /* "no state" for an index */

struct jsonpath;
struct intrinsic;
struct jsonata;

/* ---- problems ---------------------------------------------------------- */

struct asl_diag {
	char **lines;   /* "PATH: message", no newline; document order */
	size_t count;   /* lines kept, at most ASL_DIAG_MAX */
	size_t total;   /* problems found (> count when some were cut) */
	bool oom;       /* memory ran out: the list is incomplete */
};

void asl_diag_init(struct asl_diag *d);
void asl_diag_free(struct asl_diag *d);

/* ---- the model ----------------------------------------------------------- */

enum asl_type {
#define ASL_TYPE(id, name) ASL_##id,
#include "asl_states.def"
#undef ASL_TYPE
	ASL_TYPE__COUNT
};

/* A path-valued field: absent, null, or a compiled JSONPath. What absent
 * and null mean depends on the field:
 *   InputPath, OutputPath: absent = "$" (all of it), null = {};
 *   ResultPath: absent = "$" (the result replaces the input),
 *               null = the result is discarded (output = input);
 *   ItemsPath: absent = "$"; null is not allowed;
 *   ...SecondsPath, ...Path fields: absent = not used; null not allowed. */
enum asl_path_mode { ASL_PATH_ABSENT, ASL_PATH_NULL, ASL_PATH_SET };
struct asl_path {
	enum asl_path_mode mode;
	bool is_root;              /* SET and the text is exactly "$" */
	struct jsonpath *jp;       /* SET */
	const char *text;          /* SET: the source text */
};

/* A JSONPath or an intrinsic function call (the value of a "key.$" field,
 * ErrorPath, CausePath). Exactly one of jp/fn is set when present; both
 * NULL means the field is absent. */
struct asl_expr {
	struct jsonpath *jp;
	struct intrinsic *fn;
	const char *text;
};

/* A compiled payload template. Evaluating it: LITERAL yields `literal`
 * (contains no "key.$" field anywhere; copy before modifying); EXPR yields
 * the expression's value (a "key.$" field's value); OBJECT yields an object
 * with `fields` in order (key with ".$" already removed); ARRAY yields an
 * array of `items`; JSONATA yields the value of the JSONata expression `jx`
 * (undefined: a member or item left out, a whole field an error). Assign is
 * a template whose value is an object of variable name -> value. */
enum asl_tkind { ASL_T_LITERAL, ASL_T_EXPR, ASL_T_OBJECT, ASL_T_ARRAY, ASL_T_JSONATA };
struct asl_tfield;
struct asl_template {
	enum asl_tkind kind;
	json_t *literal;                 /* LITERAL */
	struct asl_expr expr;            /* EXPR; JSONATA: expr.text is the expression */
	struct jsonata *jx;              /* JSONATA: "{% ... %}" compiled (JSONata states) */
	size_t n;                        /* OBJECT: fields, ARRAY: items */
	struct asl_tfield *fields;       /* OBJECT */
	struct asl_template *items;      /* ARRAY */
};
struct asl_tfield {
	const char *key;
	struct asl_template value;
};

/* A point in time, UTC: seconds since 1970-01-01T00:00:00Z and nanoseconds. */
struct asl_time {
	int64_t sec;
	int32_t nsec;
};

/* A StringMatches pattern: the literal segments between unescaped '*'s,
 * escapes (\* and \\) resolved. n == 1 means no '*' (exact match). */
struct asl_pattern {
	size_t n;
	const char **seg;
	size_t *len;
};

enum asl_cmp {
#define ASL_CMP(id, name, operand, has_path) ASL_CMP_##id,
#include "asl_states.def"
#undef ASL_CMP
	ASL_CMP__COUNT
};

/* What a comparison operator's literal operand is. */
enum asl_operand {
	ASL_OPD_STRING, ASL_OPD_PATTERN, ASL_OPD_NUMBER, ASL_OPD_BOOLEAN,
	ASL_OPD_TIMESTAMP, ASL_OPD_TYPETEST
};

enum asl_rule_kind { ASL_RULE_AND, ASL_RULE_OR, ASL_RULE_NOT, ASL_RULE_CMP, ASL_RULE_CONDITION };

struct asl_rule {
	enum asl_rule_kind kind;
	/* AND, OR: n >= 1 sub-rules; NOT: n == 1 */
	size_t n;
	struct asl_rule *subs;
	/* CMP */
	enum asl_cmp cmp;
	enum asl_operand operand;
	struct jsonpath *variable;       /* "Variable" */
	const char *variable_text;
	bool by_path;                    /* the "...Path" form */
	struct jsonpath *value_path;     /* by_path: compare with this value */
	json_t *value;                   /* !by_path: the literal as written */
	const char *str;                 /* STRING */
	size_t str_len;
	double num;                      /* NUMBER */
	bool boolean;                    /* BOOLEAN, and TYPETEST's true/false */
	struct asl_time ts;              /* TIMESTAMP */
	struct asl_pattern pattern;      /* PATTERN */
	/* top-level rules only (a rule inside And/Or/Not has next == ASL_NONE) */
	int next;
	struct asl_template *assign;     /* NULL when absent */
	/* CONDITION (JSONata states): "Condition", true or false or "{% %}" */
	struct asl_template *condition;
	struct asl_template *output;     /* JSONata: the rule's Output, or NULL */
};

/* An ErrorEquals list. `all`: it is ["States.ALL"]. */
struct asl_errors {
	size_t n;
	const char **names;
	bool all;
};

struct asl_retrier {
	struct asl_errors errors;
	uint32_t interval_seconds;   /* default 1 */
	uint32_t max_attempts;       /* default 3; 0 = never retry */
	double backoff_rate;         /* default 2.0 */
	uint32_t max_delay_seconds;  /* 0 = no cap */
	bool jitter_full;            /* JitterStrategy "FULL" (default "NONE") */
};

struct asl_catcher {
	struct asl_errors errors;
	int next;
	struct asl_path result_path; /* ABSENT = "$", NULL = discard */
	struct asl_template *assign;
	struct asl_template *output; /* JSONata: NULL = $states.errorOutput */
};

/* What a Task's Resource names. */
enum asl_resource_kind {
	ASL_RES_FUNCTION,   /* NAME or arn:...:lambda:...:function:NAME[:QUAL] */
	ASL_RES_SERVICE,    /* arn:...:states:::SERVICE:ACTION[.sync|.waitForTaskToken] */
	ASL_RES_ACTIVITY    /* arn:...:states:REGION:ACCOUNT:activity:NAME */
};
enum asl_invoke_pattern { ASL_INVOKE_RESPONSE, ASL_INVOKE_SYNC, ASL_INVOKE_TOKEN };

struct asl_task {
	const char *resource;
	/* The spelling integrations match on: for SERVICE,
	 * "arn:aws:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]"
	 * (aws-sdk: "...:::aws-sdk:SERVICE:ACTION") whatever the partition,
	 * region and account written; otherwise the resource as written. */
	const char *canonical;
	enum asl_resource_kind kind;
	const char *function;        /* FUNCTION: the function name */
	const char *qualifier;       /* FUNCTION: version/alias after the name, or NULL */
	const char *service;         /* SERVICE: "lambda", "s3", "http", ... */
	const char *action;          /* SERVICE: "invoke", "putObject", ... (no suffix) */
	enum asl_invoke_pattern pattern;
	uint32_t timeout_seconds;    /* 0 = not set (TimeoutSecondsPath or default) */
	struct asl_path timeout_path;
	uint32_t heartbeat_seconds;  /* 0 = not set */
	struct asl_path heartbeat_path;
	struct asl_template *credentials;
	/* JSONata: TimeoutSeconds / HeartbeatSeconds as "{% %}" (else NULL) */
	struct asl_template *timeout_expr, *heartbeat_expr;
};

struct asl_machine;

struct asl_parallel {
	size_t n_branches;
	struct asl_machine **branches;
};

/* A Map's ItemReader: where the items come from instead of the input.
 * `task` is the Resource as a Task's (service "s3", action "getObject" or
 * "listObjectsV2"); integrations match it like a Task's. */
enum asl_reader_input { ASL_READ_JSON, ASL_READ_JSONL, ASL_READ_CSV, ASL_READ_MANIFEST, ASL_READ_PARQUET };
#define ASL_CSV_HEADERS_MAX 1000   /* CSVHeaders entries */
struct asl_item_reader {
	struct asl_task task;
	bool list;                       /* listObjectsV2 (else getObject) */
	enum asl_reader_input input;     /* getObject: ReaderConfig.InputType */
	bool csv_given;                  /* CSVHeaderLocation GIVEN (else FIRST_ROW) */
	size_t n_headers;                /* GIVEN: CSVHeaders */
	const char **headers;
	char delimiter;                  /* CSVDelimiter: ',' '|' ';' ' ' '\t' */
	uint32_t max_items;              /* ReaderConfig.MaxItems, 0 = all */
	struct asl_path max_items_path;  /* JSONPath: MaxItemsPath */
	struct asl_template *max_items_expr; /* JSONata: MaxItems as "{% %}" */
	/* Parameters (JSONPath, a template on the Map's effective input) or
	 * Arguments (JSONata): Bucket, Key, Prefix. */
	struct asl_template *params;
};

/* A Map's ResultWriter: WriterConfig's Transformation shapes the results
 * (COMPACT: the outputs, as without a ResultWriter; FLATTEN: array outputs
 * flattened; NONE: a record per iteration with its status, input and
 * output); with a Resource (s3:putObject, `task` as a Task's) they are
 * written to Bucket/Prefix of `params` and the Map's result is where. */
enum asl_writer_transform { ASL_WT_COMPACT, ASL_WT_NONE, ASL_WT_FLATTEN };
struct asl_result_writer {
	bool export_s3;                  /* Resource given */
	struct asl_task task;
	struct asl_template *params;     /* Parameters (JSONPath) or Arguments (JSONata) */
	enum asl_writer_transform transform;  /* default: NONE with a Resource, else COMPACT */
	bool jsonl;                      /* OutputType JSONL (else JSON) */
};

struct asl_map {
	struct asl_machine *processor;   /* ItemProcessor or Iterator */
	bool distributed;                /* ProcessorConfig.Mode DISTRIBUTED */
	bool express;                    /* ProcessorConfig.ExecutionType EXPRESS */
	struct asl_path items_path;      /* ABSENT = "$" */
	struct asl_template *item_selector; /* ItemSelector, or legacy Parameters */
	uint32_t max_concurrency;        /* 0 = unlimited */
	struct asl_path max_concurrency_path;
	bool has_tolerated_pct;
	double tolerated_pct;
	struct asl_path tolerated_pct_path;
	bool has_tolerated_count;
	uint32_t tolerated_count;
	struct asl_path tolerated_count_path;
	const char *label;
	const struct asl_item_reader *item_reader;   /* NULL when absent */
	/* ItemBatcher as written (the JSONPath state's numbers and ...Path
	 * fields are read from it at run time); in a JSONata state its
	 * MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput may be
	 * expressions (else NULL: the literal in item_batcher applies). */
	json_t *item_batcher;
	struct asl_template *batch_max_items_expr, *batch_max_bytes_expr, *batch_input_expr;
	const struct asl_result_writer *result_writer;   /* NULL when absent */
	/* JSONata: Items (an array or "{% %}"; NULL = the state input) and
	 * MaxConcurrency as an expression. */
	struct asl_template *items;
	struct asl_template *max_concurrency_expr;
	struct asl_template *tolerated_pct_expr, *tolerated_count_expr;
};

struct asl_pass {
	json_t *result;                  /* NULL when absent (json null when "Result": null) */
};

enum asl_wait_kind {
	ASL_WAIT_SECONDS, ASL_WAIT_SECONDS_PATH, ASL_WAIT_TIMESTAMP, ASL_WAIT_TIMESTAMP_PATH,
	ASL_WAIT_SECONDS_EXPR, ASL_WAIT_TIMESTAMP_EXPR   /* JSONata: "{% %}" in expr */
};
struct asl_wait {
	enum asl_wait_kind kind;
	uint64_t seconds;                /* SECONDS */
	struct asl_time timestamp;       /* TIMESTAMP */
	struct asl_path path;            /* SECONDS_PATH, TIMESTAMP_PATH */
	struct asl_template *expr;       /* *_EXPR */
};

struct asl_choice {
	size_t n_rules;
	struct asl_rule *rules;
	int default_next;                /* ASL_NONE when there is no Default */
};

struct asl_fail {
	const char *error;               /* NULL when absent */
	const char *cause;
	struct asl_expr error_path;      /* ErrorPath (path or intrinsic) */
	struct asl_expr cause_path;
	/* JSONata: Error / Cause as "{% %}" (error/cause are then NULL) */
	struct asl_template *error_expr, *cause_expr;
};

struct asl_state {
	const char *name;
	enum asl_type type;
	int next;                        /* ASL_NONE when End or no Next */
	bool end;                        /* End: true, Succeed, Fail */
	bool jsonata;                    /* QueryLanguage JSONata (own or inherited) */
	struct asl_template *arguments;  /* JSONata: Task, Parallel (NULL = the input) */
	struct asl_template *output;     /* JSONata: NULL = the default output */
	struct asl_path input_path;
	struct asl_path output_path;
	struct asl_path result_path;
	struct asl_template *parameters;     /* Task, Parallel, Pass (Map: see map) */
	struct asl_template *result_selector;
	struct asl_template *assign;
	size_t n_retry;
	struct asl_retrier *retry;
	size_t n_catch;
	struct asl_catcher *catch_;
	union {
		struct asl_task task;
		struct asl_parallel parallel;
		struct asl_map map;
		struct asl_pass pass;
		struct asl_wait wait;
		struct asl_choice choice;
		struct asl_fail fail;
	};
};

struct asl_machine {
	int start;                       /* StartAt */
	size_t n_states;
	struct asl_state *states;        /* in document order */
	uint32_t timeout_seconds;        /* top level TimeoutSeconds, 0 = none */
	unsigned depth;                  /* 0 top level, 1 a branch of it, ... */
	const char *comment;
	/* private */
	int *by_name;                    /* state indices sorted by name */
	struct asl_owned *owned;         /* top level: everything allocated */
};

/* ---- API ----------------------------------------------------------------- */

/* Compile a definition. On success the machine (caller frees) and `diag`
 * (may be NULL) stays empty. On any problem NULL, and `diag` lists them. */
struct asl_machine *asl_compile(const char *text, size_t len, struct asl_diag *diag);
void asl_machine_free(struct asl_machine *m);

/* Compile and discard: the number of problems (0 = valid). */
size_t asl_validate(const char *text, size_t len, struct asl_diag *diag);

/* The index of the state called `name` in m (not nested ones), or ASL_NONE. */
int asl_find_state(const struct asl_machine *m, const char *name);

const char *asl_type_name(enum asl_type t);
const char *asl_cmp_name(enum asl_cmp c);     /* without the "Path" suffix */

/* Parse an RFC 3339 timestamp as Step Functions accepts it
 * (YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM), upper-case T and Z). */
bool asl_time_parse(const char *s, struct asl_time *out);
int asl_time_cmp(const struct asl_time *a, const struct asl_time *b);

/* StringMatches: does s (len bytes) match the pattern? Linear time. */
bool asl_pattern_match(const struct asl_pattern *p, const char *s, size_t len);

/* Does error name `name` match an ErrorEquals list? "States.ALL" matches
 * every error except States.Runtime and States.DataLimitExceeded;
 * "States.TaskFailed" also matches every error except States.Timeout,
 * States.Runtime and States.DataLimitExceeded; other names match exactly. */
bool asl_errors_match(const struct asl_errors *e, const char *name);

/* ---- DefinitionSubstitutions (asl_subst.c) --------------------------------
 * What SAM and CDK do to a definition before Step Functions sees it:
 * "${NAME}" in any string of the definition (values and keys) becomes
 * NAME's value, "${!NAME}" the literal "${NAME}". A set of substitutions
 * holds at most ASL_SUBST_MAX names (A-Z a-z 0-9 _ . :) of values up to
 * ASL_SUBST_VALUE_MAX bytes; a later value for a name replaces the
 * earlier one. Not thread-safe (one set per caller). */
#define ASL_SUBST_MAX       1000
#define ASL_SUBST_VALUE_MAX (64 * 1024)
#define ASL_SUBST_NAME_MAX  255

struct err;
struct asl_substs {
	size_t n, cap;
	char **names, **values;
};
void asl_substs_init(struct asl_substs *s);
void asl_substs_free(struct asl_substs *s);
/* 0, or -1 with e (ValidationException: a bad name, a value too long or
 * not UTF-8, too many). */
int asl_substs_add(struct asl_substs *s, const char *name, const char *value, struct err *e);
/* An object of NAME: string | number | boolean (numbers and booleans as
 * their JSON text), as --substitutions FILE.json holds. */
int asl_substs_add_json(struct asl_substs *s, json_t *obj, struct err *e);
/* ${AWS::Partition} (aws), ${AWS::Region}, ${AWS::AccountId} and
 * ${AWS::URLSuffix} (amazonaws.com), unless already given. */
int asl_substs_add_defaults(struct asl_substs *s, const char *region, const char *account,
			    struct err *e);
/* Substitute in `text`. 0: *out (malloc'd, NUL-terminated, at most
 * ASL_DEFINITION_MAX bytes) and *outlen. Else the number of problems, each
 * a line of `diag` (may be NULL): a placeholder with no value, at the JSON
 * path of its string, with a hint; a result over the size limit. Text
 * that is not JSON is substituted as is (the compiler reports it). */
size_t asl_substitute(const char *text, size_t len, const struct asl_substs *s, char **out,
		      size_t *outlen, struct asl_diag *diag);

#endif
