/* http_sched — EventBridge Scheduler's restJson1 routes (http.h,
 * http_scheduler_rest), each mapped onto its TuttiScheduler.<Action>
 * through svc_call: the path's {Name} and the query parameters become the
 * request's members (as the Scheduler model places them), the JSON body
 * the rest. Errors as restJson1 clients read them: X-Amzn-ErrorType and
 * {"Message": ...}, with the Scheduler's statuses (404
 * ResourceNotFoundException, 409 ConflictException, 400
 * ValidationException, 402 ServiceQuotaExceededException, 429
 * ThrottlingException, 500 InternalServerException). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "service.h"

#define NAME_MAX_LEN 256

/* A query parameter into the request, as a string or an integer. */
struct qmap {
	const char *query;       /* the model's locationName */
	const char *member;      /* the member svc_call takes */
	bool integer;
};

struct op {
	const char *method;
	bool named;              /* /schedules/{Name} (else the collection) */
	bool groups;             /* /schedule-groups... */
	const char *target;
	bool body;               /* takes a JSON body */
	struct qmap q[5];
};

static const struct op ops[] = {
	{ "POST", true, false, "TuttiScheduler.CreateSchedule", true, { { 0 } } },
	{ "GET", true, false, "TuttiScheduler.GetSchedule", false, { { "groupName", "GroupName", false } } },
	{ "PUT", true, false, "TuttiScheduler.UpdateSchedule", true, { { 0 } } },
	{ "DELETE", true, false, "TuttiScheduler.DeleteSchedule", false,
	  { { "groupName", "GroupName", false }, { "clientToken", "ClientToken", false } } },
	{ "GET", false, false, "TuttiScheduler.ListSchedules", false,
	  { { "ScheduleGroup", "GroupName", false },
	    { "NamePrefix", "NamePrefix", false },
	    { "State", "State", false },
	    { "MaxResults", "MaxResults", true },
	    { "NextToken", "NextToken", false } } },
	{ "POST", true, true, "TuttiScheduler.CreateScheduleGroup", true, { { 0 } } },
	{ "GET", true, true, "TuttiScheduler.GetScheduleGroup", false, { { 0 } } },
	{ "DELETE", true, true, "TuttiScheduler.DeleteScheduleGroup", false,
	  { { "clientToken", "ClientToken", false } } },
	{ "GET", false, true, "TuttiScheduler.ListScheduleGroups", false,
	  { { "NamePrefix", "NamePrefix", false },
	    { "MaxResults", "MaxResults", true },
	    { "NextToken", "NextToken", false } } },
};

static unsigned status_of(const struct err *e)
{
	static const struct {
		const char *type;
		unsigned status;
	} map[] = {
		{ "ResourceNotFoundException", 404 },
		{ "ConflictException", 409 },
		{ "ServiceQuotaExceededException", 402 },
		{ "ThrottlingException", 429 },
		{ "ValidationException", 400 },
	};

	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(e->type, map[i].type))
			return map[i].status;
	return (unsigned)svc_http_status(e);
}

int http_scheduler_rest(void *svc, const struct http_request *req, struct http_response *resp)
{
	const char *path = req->path, *rest, *name = NULL;
	const struct op *op = NULL;
	json_t *body = NULL, *out = NULL;
	json_error_t je;
	struct err e = { 0 };
	char msg[320];
	bool groups, named;
	int rc = -1;

	groups = !strncmp(path, "/schedule-groups", 16);
	rest = path + (groups ? 16 : 10);
	if (strncmp(path, groups ? "/schedule-groups" : "/schedules", groups ? 16 : 10) ||
	    (*rest && *rest != '/'))
		return http_rest_error(resp, 404, "NotFoundException", "no such Scheduler resource");
	named = *rest == '/';
	if (named) {
		name = rest + 1;
		if (!*name || strchr(name, '/') || strlen(name) > NAME_MAX_LEN) {
			snprintf(msg, sizeof msg, "'%.200s' is not a schedule%s name", name, groups ? " group" : "");
			return http_rest_error(resp, 400, "ValidationException", msg);
		}
	}
	for (size_t i = 0; i < sizeof ops / sizeof *ops && !op; i++)
		if (ops[i].groups == groups && ops[i].named == named && !strcmp(ops[i].method, req->method))
			op = &ops[i];
	if (!op) {
		snprintf(msg, sizeof msg, "%s is not an operation on %.200s", req->method, path);
		return http_rest_error(resp, 405, "MethodNotAllowedException", msg);
	}
	if (op->body && req->len) {
		body = json_loadb(req->body, req->len, 0, &je);
		if (!body || !json_is_object(body)) {
			snprintf(msg, sizeof msg, "the body must be a JSON object%s%.200s", body ? "" : ": ",
				 body ? "" : je.text);
			rc = http_rest_error(resp, 400, "ValidationException", msg);
			goto out;
		}
	} else {
		body = json_object();
		if (!body)
			goto out;
	}
	if (name && json_object_set_new(body, "Name", json_string(name)))
		goto out;
	for (size_t i = 0; i < 5 && op->q[i].query; i++) {
		const char *v = http_query(req, op->q[i].query);
		json_t *jv;

		if (!v)
			continue;
		if (op->q[i].integer) {
			char *end;
			long long n;

			errno = 0;
			n = strtoll(v, &end, 10);
			if (errno || end == v || *end) {
				snprintf(msg, sizeof msg, "%s must be an integer, not '%.100s'", op->q[i].query, v);
				rc = http_rest_error(resp, 400, "ValidationException", msg);
				goto out;
			}
			jv = json_integer(n);
		} else {
			jv = json_string(v);
		}
		if (!jv) {
			snprintf(msg, sizeof msg, "%s is not UTF-8", op->q[i].query);
			rc = http_rest_error(resp, 400, "ValidationException", msg);
			goto out;
		}
		if (json_object_set_new(body, op->q[i].member, jv))
			goto out;
	}
	if (svc_call(svc, op->target, body, &out, &e)) {
		if (!e.type[0])
			snprintf(e.type, sizeof e.type, "InternalServerException");
		rc = http_rest_error(resp, status_of(&e), e.type, e.msg);
		goto out;
	}
	{
		char *s = out ? json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(13)) : strdup("{}");

		if (!s)
			goto out;
		resp->status = 200;
		resp->content_type = "application/json";
		resp->body = s;
		resp->len = strlen(s);
		rc = 0;
	}
out:
	json_decref(body);
	json_decref(out);
	return rc;
}
