// sigv4.js — AWS Signature Version 4 for the console's calls, with WebCrypto.
//
// The canonical form is the one server/sigv4.c verifies (and the SDKs send):
// the path's segments decoded then URI-encoded twice (every service the
// console calls is not S3), the query's parameters decoded, encoded once and
// sorted, the signed headers lower-cased and sorted, the payload's SHA-256.
// Only the headers passed in are signed, plus host and x-amz-date (the
// browser sends Host itself: location.host).

const enc = new TextEncoder();

function hex(buf) {
	const b = new Uint8Array(buf);
	let s = '';
	for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
	return s;
}

export async function sha256Hex(data) {
	const bytes = typeof data === 'string' ? enc.encode(data) : data;
	return hex(await crypto.subtle.digest('SHA-256', bytes));
}

async function hmac(key, msg) {
	const k = await crypto.subtle.importKey('raw', typeof key === 'string' ? enc.encode(key) : key,
		{ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	return crypto.subtle.sign('HMAC', k, enc.encode(msg));
}

// RFC 3986 unreserved characters stay; everything else %XX (upper-case hex).
export function uriEncode(s) {
	return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(s) {
	try { return decodeURIComponent(s); } catch { return s; }
}

export function canonicalUri(path) {
	if (!path) return '/';
	return path.split('/').map(seg => seg ? uriEncode(uriEncode(safeDecode(seg))) : '').join('/');
}

export function canonicalQuery(query) {
	if (!query) return '';
	const params = query.split('&').filter(Boolean).map(p => {
		const i = p.indexOf('=');
		const k = i < 0 ? p : p.slice(0, i), v = i < 0 ? '' : p.slice(i + 1);
		return [uriEncode(safeDecode(k.replace(/\+/g, ' '))), uriEncode(safeDecode(v.replace(/\+/g, ' ')))];
	});
	params.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
	return params.map(([k, v]) => k + '=' + v).join('&');
}

function amzDate(d) {
	return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');   // YYYYMMDDTHHMMSSZ
}

// Returns the headers to add: {Authorization, 'X-Amz-Date', ['X-Amz-Security-Token']}.
//   method, url (a URL or a path; resolved against location), headers (object),
//   body (string or Uint8Array or null), service, region,
//   creds {accessKeyId, secretAccessKey, sessionToken?}, now (Date, optional)
export async function sign({ method, url, headers = {}, body = '', service, region, creds, now = new Date() }) {
	const u = new URL(url, location.href);
	const date = amzDate(now);
	const day = date.slice(0, 8);
	const add = { 'X-Amz-Date': date };
	if (creds.sessionToken) add['X-Amz-Security-Token'] = creds.sessionToken;

	const all = new Map();
	all.set('host', u.host);
	for (const [k, v] of Object.entries({ ...headers, ...add }))
		all.set(k.toLowerCase(), String(v).trim().replace(/\s+/g, ' '));
	const names = [...all.keys()].sort();
	const canonHeaders = names.map(n => n + ':' + all.get(n) + '\n').join('');
	const signedHeaders = names.join(';');
	const payload = await sha256Hex(body == null ? '' : body);
	const creq = [method.toUpperCase(), canonicalUri(u.pathname), canonicalQuery(u.search.slice(1)),
		canonHeaders, signedHeaders, payload].join('\n');
	const scope = `${day}/${region}/${service}/aws4_request`;
	const sts = ['AWS4-HMAC-SHA256', date, scope, await sha256Hex(creq)].join('\n');

	let k = await hmac('AWS4' + creds.secretAccessKey, day);
	k = await hmac(k, region);
	k = await hmac(k, service);
	k = await hmac(k, 'aws4_request');
	const sig = hex(await hmac(k, sts));
	add.Authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, ` +
		`SignedHeaders=${signedHeaders}, Signature=${sig}`;
	return add;
}
