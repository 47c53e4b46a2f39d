/* connection — load and check $TUTTI_HOME/connections/NAME.json. */
#include "connection.h"

#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fsutil.h"

static bool is_scalar(const json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v) || json_is_null(v);
}

int connection_name(const char *arn, char name[CONNECTION_NAME_MAX + 1], struct err *e)
{
	const char *s = arn, *p;
	size_t n;

	if (!arn || !*arn)
		return err_set(e, ERR_STATES_RUNTIME, "Authentication.ConnectionArn is empty");
	if (!strncmp(arn, "arn:", 4)) {
		/* arn:PARTITION:events:REGION:ACCOUNT:connection/NAME[/ID] */
		p = strstr(arn, ":connection/");
		if (!p || strncmp(arn + strcspn(arn + 4, ":") + 4, ":events:", 8))
			return err_set(e, ERR_STATES_RUNTIME, "'%.200s' is not an EventBridge connection ARN (arn:aws:events:REGION:ACCOUNT:connection/NAME)", arn);
		s = p + strlen(":connection/");
	}
	n = strcspn(s, "/");
	if (!n || n > CONNECTION_NAME_MAX)
		return err_set(e, ERR_STATES_RUNTIME, "the connection name in '%.200s' must be 1-%d characters", arn, CONNECTION_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return err_set(e, ERR_STATES_RUNTIME, "the connection name in '%.200s' may hold only A-Z a-z 0-9 . _ -", arn);
	}
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return err_set(e, ERR_STATES_RUNTIME, "'%.*s' is not a connection name", (int)n, s);
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

static int invalid(struct err *e, const char *name, const char *what)
{
	return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': %s", name, what);
}

/* A string member of `obj` (NULL when absent); -1 when present but not a
 * string. */
static int opt_str(json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* [{"Key": "...", "Value": "..."}] (Value may be a number or boolean). */
static int params_of(json_t *list, struct connection_params *out, const char *name,
		     const char *what, struct err *e)
{
	size_t i;
	json_t *it;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': %s must be a list", name, what);
	out->v = calloc(json_array_size(list) + 1, sizeof *out->v);
	if (!out->v)
		return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': out of memory", name);
	json_array_foreach(list, i, it) {
		json_t *k = json_object_get(it, "Key"), *v = json_object_get(it, "Value");

		if (!json_is_string(k) || !*json_string_value(k) || !v)
			return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': %s[%zu] needs a Key and a Value", name, what, i);
		if (!json_is_string(v)) {
			/* Keep a string rendering alive in the document. */
			char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			json_t *sv = t && is_scalar(v) ? json_string(t) : NULL;

			free(t);
			if (!sv || json_object_set_new(it, "Value", sv))
				return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': %s[%zu].Value must be a string, number or boolean", name, what, i);
			v = sv;
		}
		out->v[out->n].key = json_string_value(k);
		out->v[out->n].value = json_string_value(v);
		out->n++;
	}
	return 0;
}

static int http_params(json_t *obj, struct connection_params *h, struct connection_params *q,
		       struct connection_params *b, const char *name, struct err *e)
{
	if (obj && !json_is_object(obj))
		return invalid(e, name, "HTTP parameters must be an object");
	if (params_of(json_object_get(obj, "HeaderParameters"), h, name, "HeaderParameters", e) ||
	    params_of(json_object_get(obj, "QueryStringParameters"), q, name, "QueryStringParameters", e) ||
	    params_of(json_object_get(obj, "BodyParameters"), b, name, "BodyParameters", e))
		return -1;
	for (size_t i = 0; i < h->n; i++)
		if (strpbrk(h->v[i].key, "\r\n:") || strpbrk(h->v[i].value, "\r\n"))
			return invalid(e, name, "a header parameter has a line break or a colon in its name");
	return 0;
}

static int parse(struct connection *c, json_t *doc, struct err *e)
{
	const char *type = json_string_value(json_object_get(doc, "AuthorizationType"));
	json_t *ap = json_object_get(doc, "AuthParameters"), *sub;

	if (!json_is_object(doc))
		return invalid(e, c->name, "the file is not a JSON object");
	if (!type)
		return invalid(e, c->name, "AuthorizationType must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS");
	if (!json_is_object(ap))
		return invalid(e, c->name, "AuthParameters must be an object");
	if (!strcmp(type, "API_KEY")) {
		c->auth = CONNECTION_API_KEY;
		sub = json_object_get(ap, "ApiKeyAuthParameters");
		if (opt_str(sub, "ApiKeyName", &c->api_key_name) || opt_str(sub, "ApiKeyValue", &c->api_key_value) ||
		    !c->api_key_name || !*c->api_key_name || !c->api_key_value)
			return invalid(e, c->name, "ApiKeyAuthParameters needs ApiKeyName and ApiKeyValue strings");
		if (strpbrk(c->api_key_name, "\r\n: ") || strpbrk(c->api_key_value, "\r\n"))
			return invalid(e, c->name, "the API key header name or value has a forbidden character");
	} else if (!strcmp(type, "BASIC")) {
		c->auth = CONNECTION_BASIC;
		sub = json_object_get(ap, "BasicAuthParameters");
		if (opt_str(sub, "Username", &c->username) || opt_str(sub, "Password", &c->password) ||
		    !c->username || !c->password)
			return invalid(e, c->name, "BasicAuthParameters needs Username and Password strings");
		if (strchr(c->username, ':'))
			return invalid(e, c->name, "a Basic username cannot hold ':'");
	} else if (!strcmp(type, "OAUTH_CLIENT_CREDENTIALS")) {
		c->auth = CONNECTION_OAUTH;
		sub = json_object_get(ap, "OAuthParameters");
		if (!json_is_object(sub) || opt_str(sub, "AccessToken", &c->access_token) ||
		    opt_str(sub, "AuthorizationEndpoint", &c->oauth_endpoint) ||
		    opt_str(sub, "HttpMethod", &c->oauth_method) ||
		    opt_str(json_object_get(sub, "ClientParameters"), "ClientID", &c->client_id) ||
		    opt_str(json_object_get(sub, "ClientParameters"), "ClientSecret", &c->client_secret))
			return invalid(e, c->name, "OAuthParameters must be an object of strings");
		if (c->access_token && strpbrk(c->access_token, "\r\n"))
			return invalid(e, c->name, "AccessToken has a line break");
		if (!c->access_token && (!c->oauth_endpoint || !c->client_id || !c->client_secret))
			return invalid(e, c->name, "OAuthParameters needs AuthorizationEndpoint and ClientParameters (ClientID, ClientSecret), or an AccessToken");
		if (c->oauth_endpoint && strncmp(c->oauth_endpoint, "https://", 8) && strncmp(c->oauth_endpoint, "http://", 7))
			return invalid(e, c->name, "AuthorizationEndpoint must be an http(s) URL");
		if (!c->oauth_method)
			c->oauth_method = "POST";
		if (strcmp(c->oauth_method, "POST") && strcmp(c->oauth_method, "GET") && strcmp(c->oauth_method, "PUT"))
			return invalid(e, c->name, "OAuthParameters.HttpMethod must be GET, POST or PUT");
		if (http_params(json_object_get(sub, "OAuthHttpParameters"), &c->oauth_headers,
				&c->oauth_query, &c->oauth_body, c->name, e))
			return -1;
	} else {
		return invalid(e, c->name, "AuthorizationType must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS");
	}
	return http_params(json_object_get(ap, "InvocationHttpParameters"), &c->headers, &c->query,
			   &c->body, c->name, e);
}

static struct connection *from_text(const char *name, const char *text, size_t len, struct err *e)
{
	struct connection *c = calloc(1, sizeof *c);
	json_error_t je;
	json_t *doc;

	if (!c) {
		err_set(e, ERR_STATES_HTTP_CONN_INVALID, "out of memory");
		return NULL;
	}
	snprintf(c->name, sizeof c->name, "%s", name);
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		/* je.text may quote the file: give the position only. */
		err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': not valid JSON (line %d, column %d)", name, je.line, je.column);
		free(c);
		return NULL;
	}
	c->doc = doc;
	if (parse(c, doc, e)) {
		connection_free(c);
		return NULL;
	}
	return c;
}

struct connection *connection_load(const char *home, const char *arn, struct err *e)
{
	char name[CONNECTION_NAME_MAX + 1], path[PATH_MAX];
	struct connection *c;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (connection_name(arn, name, e))
		return NULL;
	if (snprintf(path, sizeof path, "%s/connections/%s.json", home, name) >= (int)sizeof path) {
		err_set(e, ERR_STATES_RUNTIME, "TUTTI_HOME is too long");
		return NULL;
	}
	rc = fs_read_file(path, CONNECTION_FILE_MAX, &text, &len);
	if (rc == -ENOENT) {
		err_set(e, ERR_STATES_HTTP_CONN_NOT_FOUND, "no connection '%s' (create %s)", name, path);
		return NULL;
	}
	if (rc) {
		err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': %s", name,
			rc == -EFBIG ? "the file is over 64 KiB" : strerror(-rc));
		return NULL;
	}
	c = from_text(name, text, len, e);
	free(text);
	return c;
}

void connection_free(struct connection *c)
{
	if (!c)
		return;
	free(c->oauth_headers.v);
	free(c->oauth_query.v);
	free(c->oauth_body.v);
	free(c->headers.v);
	free(c->query.v);
	free(c->body.v);
	json_decref(c->doc);
	free(c);
}

int connection_save(const char *home, const char *name, const char *json_text, struct err *e)
{
	char checked[CONNECTION_NAME_MAX + 1], path[PATH_MAX];
	struct connection *c;
	int rc;

	if (connection_name(name, checked, e))
		return -1;
	if (strlen(json_text) > CONNECTION_FILE_MAX)
		return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': over 64 KiB", checked);
	c = from_text(checked, json_text, strlen(json_text), e);
	if (!c)
		return -1;
	connection_free(c);
	snprintf(path, sizeof path, "%s/connections", home);
	rc = fs_mkdir_p(path, 0700);
	if (!rc && snprintf(path, sizeof path, "%s/connections/%s.json", home, checked) >= (int)sizeof path)
		rc = -ENAMETOOLONG;
	if (!rc)
		rc = fs_write_atomic(path, json_text, strlen(json_text), 0600);
	if (rc)
		return err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': cannot write %s: %s", checked, path, strerror(-rc));
	return 0;
}
