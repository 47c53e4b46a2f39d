/* connection — the named credentials an HTTP Task uses
 * (Parameters.Authentication.ConnectionArn), as EventBridge connections
 * hold them in AWS. Secrets live only in $TUTTI_HOME/connections/NAME.json
 * (mode 0600), never in a definition or an execution's history.
 *
 * The file has the shape of EventBridge's CreateConnection request:
 *   {"AuthorizationType": "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS",
 *    "AuthParameters": {
 *      "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "..."},
 *      "BasicAuthParameters":  {"Username": "...", "Password": "..."},
 *      "OAuthParameters": {
 *        "AuthorizationEndpoint": "https://.../token", "HttpMethod": "POST",
 *        "ClientParameters": {"ClientID": "...", "ClientSecret": "..."},
 *        "OAuthHttpParameters": {HTTP parameters, as below},
 *        "AccessToken": "..."      a fixed bearer token instead of a token
 *                                  request (tutti's addition)},
 *      "InvocationHttpParameters": {
 *        "HeaderParameters":      [{"Key": "...", "Value": "..."}],
 *        "QueryStringParameters": [{"Key": "...", "Value": "..."}],
 *        "BodyParameters":        [{"Key": "...", "Value": "..."}]}}}
 * The connection is named by its ARN's resource part
 * (arn:aws:events:REGION:ACCOUNT:connection/NAME[/UUID]) or by NAME alone;
 * NAME is 1-64 of [A-Za-z0-9._-].
 *
 * Errors: States.Http.ConnectionNotFound (no such file),
 * States.Http.ConnectionInvalid (unreadable, over 64 KiB, not the shape
 * above), States.Runtime (a malformed ARN). Messages never quote a secret.
 *
 * Ownership: connection_load returns a connection the caller frees with
 * connection_free (NULL-safe); every string in it is borrowed from it.
 * Thread-safety: a loaded connection is read-only; share it freely. */
#ifndef TUTTI_CONNECTION_H
#define TUTTI_CONNECTION_H

#include <stddef.h>

#include "err.h"

#define CONNECTION_NAME_MAX 64
#define CONNECTION_FILE_MAX (64u << 10)

enum connection_auth { CONNECTION_API_KEY, CONNECTION_BASIC, CONNECTION_OAUTH };

struct connection_param {
	const char *key;
	const char *value;
};

struct connection_params {
	struct connection_param *v;
	size_t n;
};

struct connection {
	char name[CONNECTION_NAME_MAX + 1];
	enum connection_auth auth;
	const char *api_key_name, *api_key_value;          /* API_KEY */
	const char *username, *password;                   /* BASIC */
	const char *oauth_endpoint, *oauth_method;         /* OAUTH */
	const char *client_id, *client_secret;
	const char *access_token;                          /* fixed token, or NULL */
	struct connection_params oauth_headers, oauth_query, oauth_body;
	struct connection_params headers, query, body;     /* InvocationHttpParameters */
	void *doc;                                         /* the parsed file */
};

/* NAME from "arn:aws:events:...:connection/NAME[/ID]" or "NAME"; -1 with
 * States.Runtime when neither. */
int connection_name(const char *arn, char name[CONNECTION_NAME_MAX + 1], struct err *e);

struct connection *connection_load(const char *home, const char *arn, struct err *e);
void connection_free(struct connection *c);

/* Write NAME.json (atomically, 0600) from a JSON text of the shape above,
 * after checking it loads. For tools and tests. */
int connection_save(const char *home, const char *name, const char *json_text, struct err *e);

#endif
