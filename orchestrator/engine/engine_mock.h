/* engine_mock — Step Functions Local's mocked service integrations: a
 * MockConfigFile read once, and an integration that answers the Task
 * states a test case names with their mocked responses instead of
 * calling anything.
 *
 * The file (AWS's "MockConfigFile.json"):
 *   {"StateMachines": {"SM": {"TestCases": {"HappyPath": {"TaskState": "Resp"}}}},
 *    "MockedResponses": {"Resp": {"0": {"Return": ANY},
 *                                 "1-2": {"Throw": {"Error": S, "Cause": S}}}}}
 * An execution runs with one test case of its state machine
 * (engine_start_args.test_case; the machine is $$.StateMachine.Name). A Task
 * state the test case names is answered by its mocked response, chosen by
 * how many times that state was invoked before in the execution (0-based;
 * retries, loops and Map iterations count): the entry whose number or
 * inclusive range "N-M" holds it. Return is the Task's result (for
 * .waitForTaskToken: the task is completed with it at once), Throw fails
 * it with Error and Cause (Retry and Catch see them). An invocation no
 * entry holds fails the execution (States.Runtime), as Step Functions
 * Local does. States the test case does not name run for real.
 *
 * Ownership: a loaded config is immutable, owned by the caller, and must
 * outlive the engines it is registered with. Thread-safety: the config
 * may be read from any thread; the integration runs on the loop thread. */
#ifndef TUTTI_ENGINE_MOCK_H
#define TUTTI_ENGINE_MOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define ENGINE_MOCK_FILE_MAX  (4 * 1024 * 1024) /* bytes of a MockConfigFile */
#define ENGINE_MOCK_NAMES_MAX 10000             /* machines, test cases, responses */
#define ENGINE_MOCK_ENTRIES_MAX 1000            /* numbered entries of one response */
#define ENGINE_MOCK_INVOCATION_MAX 1000000      /* the largest invocation number */

struct engine;
struct engine_mock;

/* Parse and check a MockConfigFile. 0 and *out; or -1 with e
 * (ValidationException, the message led by the JSON path of the problem:
 * "$.MockedResponses.R['1-2']: ..."). Every test case's responses must
 * exist; entries must not overlap. */
int engine_mock_parse(const char *text, size_t len, struct engine_mock **out, struct err *e);
/* The same from a file (at most ENGINE_MOCK_FILE_MAX bytes). */
int engine_mock_load(const char *path, struct engine_mock **out, struct err *e);
void engine_mock_free(struct engine_mock *m);

/* Has state machine `sm` a test case `tc`? */
bool engine_mock_has(const struct engine_mock *m, const char *sm, const char *tc);
/* The name of the config's only state machine, or NULL when it has
 * several or none (borrowed). */
const char *engine_mock_only_machine(const struct engine_mock *m);
/* Does test case `tc` of `sm` mock state `state`? */
bool engine_mock_covers(const struct engine_mock *m, const char *sm, const char *tc,
			const char *state);

/* Register the mocks with an engine (after every other integration, so
 * they are tried first). */
int engine_mock_register(struct engine *eng, const struct engine_mock *m, struct err *e);

#endif
