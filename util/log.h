/* log — diagnostics on stderr, each line tagged with pid and role.
 * Level from $TUTTI_LOG (error, warn, info, debug; default warn).
 * Thread-safe (one write(2) per line). */
#ifndef TUTTI_LOG_H
#define TUTTI_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_role(const char *role);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
