/* Step Functions actions through svc_call on an offline service (the store,
 * no engine): versions, aliases, tags, ValidateStateMachineDefinition, ARN
 * and name checks, the errors' names and namespaces. What runs executions
 * is in tests/e2e/api_sfn.sh. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "service.h"

static char home[PATH_MAX];
static struct svc *S;

static void setup(void)
{
	struct svc_options o;
	struct err e = { 0 };

	snprintf(home, sizeof home, "/tmp/tutti-sfn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(home));
	svc_options_init(&o);
	o.home = home;
	o.mode = SVC_OFFLINE;
	o.fsync = false;
	ck_assert_msg(!svc_open(&o, &S, &e), "svc_open: %s: %s", e.type, e.msg);
}

static void teardown(void)
{
	svc_close(S);
	S = NULL;
	fs_rm_rf(home);
}

/* Call AWSStepFunctions.<action> with the JSON text; NULL and e on error. */
static json_t *call(const char *action, const char *req, struct err *e)
{
	char target[128];
	json_t *r = json_loads(req, 0, NULL), *resp = NULL;

	ck_assert_msg(r != NULL, "bad test JSON: %s", req);
	snprintf(target, sizeof target, "AWSStepFunctions.%s", action);
	err_clear(e);
	if (svc_call(S, target, r, &resp, e))
		resp = NULL;
	json_decref(r);
	return resp;
}

static json_t *ok(const char *action, const char *req)
{
	struct err e;
	json_t *r = call(action, req, &e);

	ck_assert_msg(r != NULL, "%s: %s: %s", action, e.type, e.msg);
	return r;
}

static void refused(const char *action, const char *req, const char *type, const char *part)
{
	struct err e;
	json_t *r = call(action, req, &e);

	ck_assert_msg(r == NULL, "%s succeeded, expected %s", action, type);
	ck_assert_msg(!strcmp(e.type, type), "%s: got %s (%s), expected %s", action, e.type, e.msg, type);
	if (part)
		ck_assert_msg(strstr(e.msg, part), "%s: '%s' lacks '%s'", action, e.msg, part);
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	ck_assert_msg(v != NULL, "no string '%s'", k);
	return v;
}

#define DEF1 "{\\\"StartAt\\\":\\\"P\\\",\\\"States\\\":{\\\"P\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}}"
#define DEF2 "{\\\"StartAt\\\":\\\"Q\\\",\\\"States\\\":{\\\"Q\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"End\\\":true}}}"

/* Create "m" (published when `publish`); its ARN in arn. */
static void create(const char *name, bool publish, char *arn, size_t n)
{
	char req[512];
	json_t *r;

	snprintf(req, sizeof req, "{\"name\":\"%s\",\"definition\":\"%s\",\"publish\":%s}", name, DEF1,
		 publish ? "true" : "false");
	r = ok("CreateStateMachine", req);
	snprintf(arn, n, "%s", str(r, "stateMachineArn"));
	if (publish) {
		char want[300];

		snprintf(want, sizeof want, "%s:1", arn);
		ck_assert_str_eq(str(r, "stateMachineVersionArn"), want);
	} else {
		ck_assert_ptr_null(json_object_get(r, "stateMachineVersionArn"));
	}
	json_decref(r);
}

START_TEST(versions_publish_and_list)
{
	char sm[256], req[1024];
	json_t *r;

	create("m", true, sm, sizeof sm);
	/* the same revision again: the same version */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\"}", sm);
	r = ok("PublishStateMachineVersion", req);
	ck_assert(strstr(str(r, "stateMachineVersionArn"), ":1") != NULL);
	json_decref(r);
	/* a new revision, published by the update */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\",\"definition\":\"%s\",\"publish\":true,\"versionDescription\":\"two\"}",
		 sm, DEF2);
	r = ok("UpdateStateMachine", req);
	ck_assert(strstr(str(r, "stateMachineVersionArn"), ":2") != NULL);
	ck_assert(strlen(str(r, "revisionId")) == 36);
	json_decref(r);
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\",\"maxResults\":1}", sm);
	r = ok("ListStateMachineVersions", req);
	ck_assert_int_eq(json_array_size(json_object_get(r, "stateMachineVersions")), 1);
	ck_assert(strstr(str(json_array_get(json_object_get(r, "stateMachineVersions"), 0), "stateMachineVersionArn"), ":2"));
	ck_assert_str_eq(str(r, "nextToken"), "1");
	json_decref(r);
	/* a version describes its frozen definition and description */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s:1\"}", sm);
	r = ok("DescribeStateMachine", req);
	ck_assert(strstr(str(r, "definition"), "\"P\"") != NULL);
	json_decref(r);
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s:2\"}", sm);
	r = ok("DescribeStateMachine", req);
	ck_assert_str_eq(str(r, "description"), "two");
	json_decref(r);
	/* a stale revision */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\",\"revisionId\":\"x\"}", sm);
	refused("PublishStateMachineVersion", req, "ConflictException", NULL);
	/* versionDescription without publish */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\",\"definition\":\"%s\",\"versionDescription\":\"x\"}", sm, DEF1);
	refused("UpdateStateMachine", req, "ValidationException", "publish");
	/* deleting the state machine deletes its versions */
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\"}", sm);
	json_decref(ok("DeleteStateMachine", req));
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s:1\"}", sm);
	refused("DescribeStateMachine", req, "StateMachineDoesNotExist", NULL);
}
END_TEST

START_TEST(aliases)
{
	char sm[256], req[1024], al[300];
	json_t *r;

	create("m", true, sm, sizeof sm);
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s\",\"definition\":\"%s\",\"publish\":true}", sm, DEF2);
	json_decref(ok("UpdateStateMachine", req));
	snprintf(req, sizeof req, "{\"name\":\"live\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:1\",\"weight\":70},{\"stateMachineVersionArn\":\"%s:2\",\"weight\":30}]}",
		 sm, sm);
	r = ok("CreateStateMachineAlias", req);
	snprintf(al, sizeof al, "%s", str(r, "stateMachineAliasArn"));
	json_decref(r);
	ck_assert(strlen(al) > strlen(sm) && !strcmp(al + strlen(sm), ":live"));
	/* idempotent: the same again; another routing: conflict */
	json_decref(ok("CreateStateMachineAlias", req));
	snprintf(req, sizeof req, "{\"name\":\"live\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:1\",\"weight\":100}]}", sm);
	refused("CreateStateMachineAlias", req, "ConflictException", NULL);
	/* bad routing */
	snprintf(req, sizeof req, "{\"name\":\"x\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:1\",\"weight\":50}]}", sm);
	refused("CreateStateMachineAlias", req, "ValidationException", "100");
	snprintf(req, sizeof req, "{\"name\":\"x\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:9\",\"weight\":100}]}", sm);
	refused("CreateStateMachineAlias", req, "ResourceNotFound", NULL);
	snprintf(req, sizeof req, "{\"name\":\"x\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s\",\"weight\":100}]}", sm);
	refused("CreateStateMachineAlias", req, "ValidationException", "version");
	snprintf(req, sizeof req, "{\"name\":\"7\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:1\",\"weight\":100}]}", sm);
	refused("CreateStateMachineAlias", req, "InvalidName", NULL);
	/* describe, list (by version: the aliases using it) */
	snprintf(req, sizeof req, "{\"stateMachineAliasArn\":\"%s\"}", al);
	r = ok("DescribeStateMachineAlias", req);
	ck_assert_str_eq(str(r, "name"), "live");
	ck_assert_int_eq(json_array_size(json_object_get(r, "routingConfiguration")), 2);
	ck_assert(json_is_real(json_object_get(r, "creationDate")));
	json_decref(r);
	snprintf(req, sizeof req, "{\"stateMachineArn\":\"%s:2\"}", sm);
	r = ok("ListStateMachineAliases", req);
	ck_assert_int_eq(json_array_size(json_object_get(r, "stateMachineAliases")), 1);
	json_decref(r);
	/* a version in use cannot be deleted; after the update it can */
	snprintf(req, sizeof req, "{\"stateMachineVersionArn\":\"%s:1\"}", sm);
	refused("DeleteStateMachineVersion", req, "ConflictException", al);
	snprintf(req, sizeof req, "{\"stateMachineAliasArn\":\"%s\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"%s:2\",\"weight\":100}]}", al, sm);
	json_decref(ok("UpdateStateMachineAlias", req));
	snprintf(req, sizeof req, "{\"stateMachineVersionArn\":\"%s:1\"}", sm);
	json_decref(ok("DeleteStateMachineVersion", req));
	snprintf(req, sizeof req, "{\"stateMachineAliasArn\":\"%s\"}", al);
	json_decref(ok("DeleteStateMachineAlias", req));
	refused("DescribeStateMachineAlias", req, "ResourceNotFound", NULL);
}
END_TEST

START_TEST(tags)
{
	char sm[256], req[8192];
	size_t n;
	json_t *r;

	create("m", false, sm, sizeof sm);
	snprintf(req, sizeof req, "{\"resourceArn\":\"%s\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]}", sm);
	json_decref(ok("TagResource", req));
	snprintf(req, sizeof req, "{\"resourceArn\":\"%s\",\"tags\":[{\"key\":\"a\",\"value\":\"3\"}]}", sm);
	json_decref(ok("TagResource", req));
	snprintf(req, sizeof req, "{\"resourceArn\":\"%s\",\"tagKeys\":[\"b\"]}", sm);
	json_decref(ok("UntagResource", req));
	snprintf(req, sizeof req, "{\"resourceArn\":\"%s\"}", sm);
	r = ok("ListTagsForResource", req);
	ck_assert_int_eq(json_array_size(json_object_get(r, "tags")), 1);
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "tags"), 0), "value"), "3");
	json_decref(r);
	/* 50 at most */
	n = (size_t)snprintf(req, sizeof req, "{\"resourceArn\":\"%s\",\"tags\":[", sm);
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(req + n, sizeof req - n, "%s{\"key\":\"k%d\",\"value\":\"v\"}", i ? "," : "", i);
	snprintf(req + n, sizeof req - n, "]}");
	refused("TagResource", req, "TooManyTags", NULL);
	snprintf(req, sizeof req, "{\"resourceArn\":\"%s\",\"tags\":[{\"key\":\"\",\"value\":\"v\"}]}", sm);
	refused("TagResource", req, "ValidationException", "key");
	refused("ListTagsForResource", "{\"resourceArn\":\"arn:aws:states:us-east-1:1:stateMachine:nope\"}",
		"ResourceNotFound", NULL);
	refused("ListTagsForResource", "{\"resourceArn\":\"arn:aws:lambda:us-east-1:1:function:f\"}",
		"InvalidArn", NULL);
}
END_TEST

START_TEST(arns_names_and_namespaces)
{
	refused("DescribeStateMachine", "{\"stateMachineArn\":\"nope\"}", "InvalidArn", "prefix");
	refused("DescribeStateMachine", "{\"stateMachineArn\":\"arn:aws:states:r:1:execution:m:x\"}",
		"InvalidArn", "execution");
	refused("DescribeStateMachine", "{\"stateMachineArn\":\"arn:aws:states:r:1:stateMachine:nope\"}",
		"StateMachineDoesNotExist", NULL);
	refused("DescribeExecution", "{\"executionArn\":\"arn:aws:states:r:1:stateMachine:m\"}",
		"InvalidArn", NULL);
	refused("DescribeExecution", "{\"executionArn\":\"arn:aws:states:r:1:execution:m:x\"}",
		"ExecutionDoesNotExist", NULL);
	refused("DescribeExecution", "{}", "ValidationException", "executionArn");
	refused("CreateStateMachine", "{\"name\":\"a b\",\"definition\":\"" DEF1 "\"}", "InvalidName", NULL);
	refused("CreateStateMachine", "{\"name\":\"a\",\"definition\":\"{}\"}", "InvalidDefinition",
		"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED");
	refused("CreateStateMachine", "{\"name\":\"a\",\"definition\":\"" DEF1 "\",\"loggingConfiguration\":{\"level\":\"ALL\"}}",
		"InvalidLoggingConfiguration", NULL);
	ck_assert_str_eq(svc_error_namespace("AWSStepFunctions.DescribeExecution", "ExecutionDoesNotExist"),
			 "com.amazonaws.swf.service.v2.model");
	ck_assert_ptr_null(svc_error_namespace("AWSStepFunctions.X", "ServiceUnavailable"));
	ck_assert_ptr_null(svc_error_namespace("AWSEvents.PutRule", "ValidationException"));
}
END_TEST

START_TEST(validate_definition)
{
	json_t *r, *d;

	r = ok("ValidateStateMachineDefinition", "{\"definition\":\"" DEF1 "\"}");
	ck_assert_str_eq(str(r, "result"), "OK");
	ck_assert_int_eq(json_array_size(json_object_get(r, "diagnostics")), 0);
	json_decref(r);
	r = ok("ValidateStateMachineDefinition",
	       "{\"definition\":\"{\\\"StartAt\\\":\\\"A\\\",\\\"States\\\":{\\\"A\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Next\\\":\\\"B\\\"}}}\"}");
	ck_assert_str_eq(str(r, "result"), "FAIL");
	d = json_array_get(json_object_get(r, "diagnostics"), 0);
	ck_assert_str_eq(str(d, "severity"), "ERROR");
	ck_assert_str_eq(str(d, "code"), "MISSING_TRANSITION_TARGET");
	ck_assert_str_eq(str(d, "location"), "/States/A/Next");
	json_decref(r);
	r = ok("ValidateStateMachineDefinition", "{\"definition\":\"[\"}");
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "diagnostics"), 0), "code"), "INVALID_JSON_DESCRIPTION");
	json_decref(r);
	refused("ValidateStateMachineDefinition", "{\"definition\":\"{}\",\"maxResults\":101}", "ValidationException", NULL);
	refused("ValidateStateMachineDefinition", "{\"definition\":\"{}\",\"type\":\"FAST\"}", "ValidationException", NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sfn");
	TCase *tc = tcase_create("sfn");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, versions_publish_and_list);
	tcase_add_test(tc, aliases);
	tcase_add_test(tc, tags);
	tcase_add_test(tc, arns_names_and_namespaces);
	tcase_add_test(tc, validate_definition);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
