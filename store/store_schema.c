/* The schema, as numbered migrations: migration N brings a database from
 * user_version N-1 to N, in one transaction (store.c). Never edit a
 * migration that has shipped: add the next one and raise
 * STORE_SCHEMA_VERSION.
 *
 * Choices behind migration 1:
 * - executions carry an integer id; history and frames refer to it, so
 *   their rows do not repeat a 100-byte ARN;
 * - an event's key is k = exec_id << 32 | event_id: the rowid itself, so
 *   appending an event and reading a history are one B-tree each, with no
 *   second index (event ids are uint32, exec ids stay far below 2^31);
 * - frames are keyed (exec, path); DELETE_UNDER is a range on that key;
 *   tokens have a partial index (only waiting frames have one);
 * - statuses are text, so that the file reads well in the sqlite3 shell;
 * - no foreign keys: the writer is the only writer and keeps them by
 *   construction, and their checks would cost on the hot path. */
#include "store_int.h"

static const char *const migration_1 =
	"CREATE TABLE resources ("
	"  arn TEXT PRIMARY KEY NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  parent TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL,"
	"  created_us INTEGER NOT NULL,"
	"  updated_us INTEGER NOT NULL,"
	"  revision INTEGER NOT NULL);"
	"CREATE INDEX resources_kind ON resources(kind, name, arn);"
	"CREATE INDEX resources_parent ON resources(kind, parent, name, arn);"
	"CREATE TABLE seqs (arn TEXT PRIMARY KEY NOT NULL, next INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE executions ("
	"  id INTEGER PRIMARY KEY,"
	"  arn TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  sm_arn TEXT NOT NULL,"
	"  sm_qualified TEXT,"
	"  type TEXT NOT NULL,"
	"  input TEXT NOT NULL,"
	"  output TEXT, error TEXT, cause TEXT, parent TEXT, trace TEXT,"
	"  status TEXT NOT NULL,"
	"  start_us INTEGER NOT NULL,"
	"  stop_us INTEGER NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  redrive_count INTEGER NOT NULL,"
	"  redrive_us INTEGER NOT NULL);"
	"CREATE INDEX executions_start ON executions(start_us, arn);"
	"CREATE INDEX executions_sm ON executions(sm_arn, start_us, arn);"
	"CREATE INDEX executions_status ON executions(status, start_us, arn);"
	"CREATE INDEX executions_sm_status ON executions(sm_arn, status, start_us, arn);"
	"CREATE TABLE events ("
	"  k INTEGER PRIMARY KEY,"
	"  prev INTEGER NOT NULL,"
	"  ts_us INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  details TEXT NOT NULL);"
	"CREATE TABLE frames ("
	"  exec INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  token TEXT,"
	"  due_us INTEGER NOT NULL,"
	"  PRIMARY KEY (exec, path));"
	"CREATE INDEX frames_token ON frames(token) WHERE token IS NOT NULL;"
	"CREATE TABLE fires ("
	"  schedule TEXT NOT NULL,"
	"  fire_s INTEGER NOT NULL,"
	"  at_us INTEGER NOT NULL,"
	"  exec_arn TEXT,"
	"  error TEXT,"
	"  PRIMARY KEY (schedule, fire_s));"
	"CREATE TABLE invocations ("
	"  id INTEGER PRIMARY KEY,"
	"  function TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  request_id TEXT NOT NULL,"
	"  start_us INTEGER NOT NULL,"
	"  duration_us INTEGER NOT NULL,"
	"  init_us INTEGER NOT NULL,"
	"  max_memory_kib INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  log_tail TEXT,"
	"  source TEXT);"
	"CREATE INDEX invocations_fn ON invocations(function, id);";

const char *const store_migrations[] = { NULL, migration_1 };

_Static_assert(sizeof store_migrations / sizeof *store_migrations == STORE_SCHEMA_VERSION + 1,
	       "one migration per schema version");
