// core.js — what every page module of the tutti console shares: the API calls
// (AWS JSON and REST, SigV4-signed when the server wants it), the hash router,
// a DOM builder (never innerHTML), and the small widgets (time, badge, table,
// pager, JSON view, the state machine graph).
//
// ---- data-testid hooks (the browser tests rely on these; keep them stable) ----
//   error-box            every API error shown (errorBox): .error-type and .error-message inside
//   confirm-dialog       the confirmation <dialog> (confirmDialog); buttons confirm-ok, confirm-cancel
//   creds-form           the access key form shown when /console/api/config says auth: true
//                        (inputs creds-key-id, creds-secret; button creds-submit)
//   pager, pager-prev, pager-next, pager-page     the Prev/Next bar of a paginated list
//   json-view            a pretty-printed JSON block (jsonView); json-truncated when cut at 256 KiB
//   graph                the container of a state machine's SVG; every state <g> in it is
//                        tabindex=0 role=button aria-label="NAME: status", data-state="NAME"
//   machines.js:  sm-list (the table), sm-row (data-name), sm-create (link/button to the create page),
//                 sm-name, sm-type, sm-definition (the editor's textarea), sm-save, diagnostics
//                 (the list; each item diagnostic, data-code), start-input, start-name, start-button,
//                 sm-executions (recent executions table; rows exec-row)
//   executions.js: exec-list (the table), exec-row (data-status, data-name), filter-<STATUS>
//                 (filter buttons, aria-pressed; filter-ALL), search (name filter input),
//                 exec-status (the execution page's badge), stop-button, redrive-button,
//                 exec-error, exec-cause, state-panel (data-state), state-error, state-cause,
//                 map-iterations (the iterations table), map-iteration-row (data-status, data-index),
//                 iter-filter-<STATUS> (iteration filter buttons; iter-filter-ALL),
//                 iteration-states (the chosen iteration's states), history-table,
//                 history-row (data-type, data-id), exec-input, exec-output
//   machines.js diagnostics: each item diagnostic (data-code, data-line when it points at one)
//   Routes: #/state-machines, #/state-machines/new, #/state-machines/<ARN>[?start=1],
//           #/executions[?machine=ARN&status=S&q=TEXT], #/executions/<ARN>[?state=NAME&iteration=N]
//           (ARNs URI-encoded: encodeURIComponent)
//
// ---- the API (what other page modules import) ----
//   api(target, body)            AWS JSON call; resolves the answer, rejects ApiError
//   rest(method, path, body, headers)   → {status, headers, json, text}; rejects ApiError on ≥ 400
//   ApiError {status, type, message}
//   route(pattern, render), navigate(hash), start(main, defaultHash), onLeave(fn)
//   h(tag, attrs, ...children), time(s), duration(ms), badge(status), errorBox(err),
//   table({columns, rows, empty, rowAttrs}), pager({load, render}), poll(fn, ms),
//   fill(el, ...children), jsonView(text), graphSvg(body), colorGraph(svg, states), graphPanel(svg),
//   confirmDialog(message, ok), debounce(fn, ms), arnName(arn), config(), setTitle(text),
//   selectGraphState(svg, name), credentials(), askCredentials(), forgetCredentials()

import { sign } from './sigv4.js';

// ---------------------------------------------------------------------------------------------
// Configuration and credentials

let configPromise = null;

// GET /console/api/config once: {auth, region, version}. A server without the
// route (or an unreachable one) is taken as auth: false.
export function config() {
	if (!configPromise)
		configPromise = fetch('/console/api/config', { headers: { Accept: 'application/json' } })
			.then(r => r.ok ? r.json() : {})
			.catch(() => ({}))
			.then(c => ({ auth: !!c.auth, region: c.region || 'us-east-1', version: c.version || '' }));
	return configPromise;
}

const CREDS_KEY = 'tutti.console.credentials';
let credsWaiter = null;

export function credentials() {
	try {
		const c = JSON.parse(sessionStorage.getItem(CREDS_KEY) || 'null');
		return c && c.accessKeyId && c.secretAccessKey ? c : null;
	} catch { return null; }
}

export function forgetCredentials() {
	sessionStorage.removeItem(CREDS_KEY);
}

// Ask for an access key (a modal form); resolves the credentials once given.
export function askCredentials(reason) {
	if (credsWaiter) return credsWaiter;
	credsWaiter = new Promise(resolve => {
		const keyId = h('input', { id: 'creds-key-id', 'data-testid': 'creds-key-id', required: true,
			autocomplete: 'username', spellcheck: 'false' });
		const secret = h('input', { id: 'creds-secret', 'data-testid': 'creds-secret', type: 'password',
			required: true, autocomplete: 'current-password' });
		const token = h('input', { id: 'creds-token', type: 'password', autocomplete: 'off' });
		const dlg = h('dialog', { class: 'creds', 'aria-labelledby': 'creds-title' },
			h('form', { method: 'dialog', 'data-testid': 'creds-form', on: { submit: ev => {
				ev.preventDefault();
				const c = { accessKeyId: keyId.value.trim(), secretAccessKey: secret.value.trim() };
				if (token.value.trim()) c.sessionToken = token.value.trim();
				if (!c.accessKeyId || !c.secretAccessKey) return;
				sessionStorage.setItem(CREDS_KEY, JSON.stringify(c));
				dlg.close();
				dlg.remove();
				credsWaiter = null;
				resolve(c);
			} } },
				h('h2', { id: 'creds-title' }, 'Sign in'),
				h('p', {}, reason || 'This server signs every call (AWS Signature Version 4). Enter an access key ' +
					'from its credentials file. It is kept in this tab only (sessionStorage).'),
				h('label', { for: 'creds-key-id' }, 'Access key ID'), keyId,
				h('label', { for: 'creds-secret' }, 'Secret access key'), secret,
				h('label', { for: 'creds-token' }, 'Session token (optional)'), token,
				h('div', { class: 'actions' },
					h('button', { type: 'submit', class: 'primary', 'data-testid': 'creds-submit' }, 'Sign in'))));
		document.body.append(dlg);
		dlg.addEventListener('cancel', ev => ev.preventDefault());   // no way around it but signing in
		dlg.showModal();
		keyId.focus();
	});
	return credsWaiter;
}

function serviceFor(pathOrTarget) {
	if (/^AWSEvents\./.test(pathOrTarget)) return 'events';
	if (/^\/(2015-03-31|2018-10-31|2016-08-19|2017-10-31|2019-09-25|2019-09-30|2020-06-30|2021-10-31)\//.test(pathOrTarget))
		return 'lambda';
	return 'states';
}

// fetch() with the signature added when the server wants one.
async function send(method, url, headers, body, service) {
	const cfg = await config();
	if (cfg.auth) {
		const creds = credentials() || await askCredentials();
		Object.assign(headers, await sign({ method, url, headers: { ...headers }, body: body ?? '',
			service, region: cfg.region, creds }));
	}
	try {
		return await fetch(url, { method, headers, body: body ?? undefined, credentials: 'same-origin' });
	} catch (e) {
		throw new ApiError(0, 'NetworkError', `the server did not answer (${e.message})`);
	}
}

// ---------------------------------------------------------------------------------------------
// Errors and calls

export class ApiError extends Error {
	status;
	type;
	constructor(status, type, message) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.type = type;
	}
}

const ERROR_TEXT_MAX = 4096;

async function errorOf(res, text) {
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	const type = res.headers.get('X-Amzn-ErrorType') || (json && (json.__type || json.Type || json.code)) ||
		`HTTP ${res.status}`;
	let message = json && (json.message ?? json.Message ?? json.errorMessage);
	if (message == null) message = text.length > ERROR_TEXT_MAX ? text.slice(0, ERROR_TEXT_MAX) + '…' : text;
	const err = new ApiError(res.status, String(type), String(message));
	// A key the server no longer knows: forget it, the next call asks again.
	if (res.status === 403 && /UnrecognizedClient|InvalidSignature|InvalidAccessKeyId|SignatureDoesNotMatch/.test(type))
		forgetCredentials();
	return err;
}

// An AWS JSON call: POST / with X-Amz-Target. Resolves the answer (an object).
export async function api(target, body = {}) {
	const events = /^AWSEvents\./.test(target);
	const headers = {
		'Content-Type': events ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
		'X-Amz-Target': target,
	};
	const payload = JSON.stringify(body ?? {});
	const res = await send('POST', '/', headers, payload, serviceFor(target));
	const text = await res.text();
	if (!res.ok) throw await errorOf(res, text);
	if (!text) return {};
	try { return JSON.parse(text); } catch {
		throw new ApiError(res.status, 'InvalidResponse', `the answer to ${target} is not JSON: ${text.slice(0, 200)}`);
	}
}

// A REST call (Lambda's restJson1). body: a string (sent as is), an object
// (sent as JSON) or undefined. Resolves {status, headers, json, text}; json is
// null when the body is not JSON.
export async function rest(method, path, body, headers = {}) {
	const hdrs = { ...headers };
	let payload = body;
	if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
		payload = JSON.stringify(body);
		if (!Object.keys(hdrs).some(k => k.toLowerCase() === 'content-type')) hdrs['Content-Type'] = 'application/json';
	}
	const res = await send(method, path, hdrs, payload, serviceFor(path));
	const text = await res.text();
	if (res.status >= 400) throw await errorOf(res, text);
	let json = null;
	if (text) try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, headers: res.headers, json, text };
}

// ---------------------------------------------------------------------------------------------
// DOM builder

const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate']);

// h('button', {class: 'x', on: {click: fn}, dataset: {a: 1}, 'aria-label': 'y'}, 'text', node, [more])
// Attribute values false/null/undefined are left out, true gives an empty attribute.
export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v == null || v === false) continue;
		if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
		else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) { if (dv != null) el.dataset[dk] = dv; }
		else if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
		else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
		else if (PROPS.has(k)) el[k] = v;
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

// Replace el's children with these (null/false left out, arrays flattened, strings as text).
export function fill(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c == null || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.append(c);
		else el.append(document.createTextNode(String(c)));
	}
}

// ---------------------------------------------------------------------------------------------
// Router: '#/functions/:name' patterns; render(params, main, query) may return a cleanup.

const routes = [];
let current = null;          // {cleanups: []}
let defaultRoute = '#/';
let mainEl = null;

export function route(pattern, render) {
	const parts = pattern.replace(/^#/, '').split('/').filter(Boolean);
	routes.push({ pattern, parts, render });
}

export function navigate(hash) {
	if (location.hash === hash) dispatch();
	else location.hash = hash;
}

export function setTitle(text) {
	document.title = text ? `${text} · tutti` : 'tutti';
}

function match(path) {
	const segs = path.split('/').filter(Boolean);
	for (const r of routes) {
		if (r.parts.length !== segs.length) continue;
		const params = {};
		let ok = true;
		for (let i = 0; i < segs.length && ok; i++) {
			if (r.parts[i].startsWith(':')) {
				try { params[r.parts[i].slice(1)] = decodeURIComponent(segs[i]); } catch { ok = false; }
			} else ok = r.parts[i] === segs[i];
		}
		if (ok) return { r, params };
	}
	return null;
}

function runCleanups() {
	if (!current) return;
	for (const fn of current.cleanups.splice(0)) {
		try { fn(); } catch (e) { console.error(e); }
	}
}

// Cleanups registered while the current page is shown (poll() uses it).
export function onLeave(fn) {
	if (current) current.cleanups.push(fn);
}

function dispatch(focus = false) {
	const raw = location.hash || defaultRoute;
	const q = raw.indexOf('?');
	const path = (q < 0 ? raw : raw.slice(0, q)).replace(/^#/, '');
	const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
	runCleanups();
	current = { cleanups: [], hash: raw };
	const page = current;
	mainEl.replaceChildren();
	mainEl.setAttribute('aria-busy', 'false');
	window.dispatchEvent(new CustomEvent('tutti:route', { detail: { path, query } }));
	const m = match(path);
	if (!m) {
		setTitle('Not found');
		mainEl.append(h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, raw), '. ',
			h('a', { href: defaultRoute }, 'Go to the start page')));
		return;
	}
	let out;
	try {
		out = m.r.render(m.params, mainEl, query);
	} catch (e) {
		console.error(e);
		mainEl.append(errorBox(e));
	}
	Promise.resolve(out).then(fn => {
		if (typeof fn !== 'function') return;
		if (current === page) page.cleanups.push(fn);
		else fn();          // the user left before the page finished loading
	}, e => {
		console.error(e);
		if (current === page) mainEl.append(errorBox(e));
	});
	if (focus) {
		const h1 = mainEl.querySelector('h1');
		(h1 || mainEl).setAttribute('tabindex', '-1');
		(h1 || mainEl).focus({ preventScroll: true });
		window.scrollTo(0, 0);
	}
}

// Start routing: main is the element pages render into.
export function start(main, defaultHash = '#/') {
	mainEl = main;
	defaultRoute = defaultHash;
	window.addEventListener('hashchange', () => dispatch(true));
	if (!location.hash) history.replaceState(null, '', defaultHash);
	dispatch(false);
}

// ---------------------------------------------------------------------------------------------
// Small widgets

const pad = n => String(n).padStart(2, '0');
let localFmt = null;
export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

function localParts(d) {
	localFmt ??= new Intl.DateTimeFormat(undefined, {
		year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
		second: '2-digit', hourCycle: 'h23',
	});
	const p = {};
	for (const { type, value } of localFmt.formatToParts(d)) p[type] = value;
	return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

// <time datetime="ISO" title="... UTC">local time</time>; '—' when there is none.
export function time(epochSeconds) {
	if (epochSeconds == null || epochSeconds === '' || !isFinite(Number(epochSeconds)))
		return h('span', { class: 'muted', 'aria-label': 'none' }, '—');
	const d = new Date(Number(epochSeconds) * 1000);
	const iso = d.toISOString();
	return h('time', { datetime: iso, title: iso.replace('T', ' ').replace('Z', ' UTC') }, localParts(d));
}

// "350 ms", "1.2 s", "2 min 5 s", "3 h 4 min", "2 d 3 h".
export function duration(ms) {
	if (ms == null || !isFinite(ms)) return '—';
	ms = Math.max(0, ms);
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const s = ms / 1000;
	if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
	const t = Math.round(s);
	if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
	if (t < 86400) return `${Math.floor(t / 3600)} h ${Math.floor(t % 3600 / 60)} min`;
	return `${Math.floor(t / 86400)} d ${Math.floor(t % 86400 / 3600)} h`;
}

export const STATUS_ICON = {
	SUCCEEDED: '✓', FAILED: '✗', RUNNING: '⟳', TIMED_OUT: '⚠', ABORTED: '■', PENDING_REDRIVE: '○',
	CAUGHT: '⚠', NOT_REACHED: '○', PENDING: '○', STARTED: '✓', ENABLED: '✓', DISABLED: '■',
	ACTIVE: '✓', DELETING: '■',
};

// <span class="badge status-succeeded">✓ SUCCEEDED</span> (icon hidden from screen readers).
export function badge(status) {
	const s = String(status || 'UNKNOWN').toUpperCase();
	return h('span', { class: ['badge', 'status-' + s.toLowerCase().replace(/_/g, '-')] },
		h('span', { class: 'icon', 'aria-hidden': 'true' }, STATUS_ICON[s] || '•'), ' ', s.replace(/_/g, ' '));
}

// An API error as it came: type and message.
export function errorBox(err) {
	const type = err && (err.type || err.name) || 'Error';
	const msg = err && err.message != null ? err.message : String(err);
	return h('div', { class: 'error-box', role: 'alert', 'data-testid': 'error-box' },
		h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗ '),
		h('strong', { class: 'error-type' }, type),
		err && err.status ? h('span', { class: 'error-status' }, ` (HTTP ${err.status})`) : null,
		h('span', { class: 'error-message' }, msg ? ': ' + msg : ''));
}

// A table. columns: [{title, render(row), class?}], rows, empty (text or node when there are
// none), rowAttrs(row) optional attributes of each <tr> (data-testid, dataset, ...).
export function table({ columns, rows, empty = 'Nothing here yet.', rowAttrs, caption, attrs = {} }) {
	const t = h('table', attrs,
		caption ? h('caption', {}, caption) : null,
		h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.class }, c.title)))));
	const body = h('tbody');
	if (!rows || !rows.length)
		body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty)));
	else
		for (const row of rows)
			body.append(h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map(c => h('td', { class: c.class }, c.render(row)))));
	t.append(body);
	return t;
}

// Server-side pagination by tokens. load(token) → {rows, nextToken}; render(rows) → a node.
// Returns an element with .reload() (the current page again: a poll) and .first() (back to page
// 1, e.g. a filter changed). A page whose rows did not change is not rendered again.
export function pager({ load, render }) {
	const content = h('div', { class: 'pager-content' });
	const prev = h('button', { type: 'button', 'data-testid': 'pager-prev', disabled: true }, '← Prev');
	const next = h('button', { type: 'button', 'data-testid': 'pager-next', disabled: true }, 'Next →');
	const label = h('span', { class: 'pager-page', 'data-testid': 'pager-page', 'aria-live': 'polite' }, '');
	const nav = h('nav', { class: 'pager-nav', 'aria-label': 'Pages', hidden: true }, prev, label, next);
	const el = h('div', { class: 'pager', 'data-testid': 'pager' }, content, nav);
	const tokens = [undefined];   // tokens[i]: the token of page i
	let page = 0, nextToken = null, seq = 0, lastKey = null;

	async function show(p, quiet) {
		const mine = ++seq;
		if (!quiet) el.setAttribute('aria-busy', 'true');
		let res;
		try {
			res = await load(tokens[p]);
		} catch (e) {
			if (mine !== seq) return;
			el.setAttribute('aria-busy', 'false');
			if (quiet) return;         // a poll that failed: keep what is shown
			lastKey = null;
			content.replaceChildren(errorBox(e));
			return;
		}
		if (mine !== seq) return;   // a newer request won
		el.setAttribute('aria-busy', 'false');
		page = p;
		nextToken = res.nextToken || null;
		tokens.length = p + 1;
		if (nextToken) tokens.push(nextToken);
		const key = JSON.stringify(res.rows);
		if (key !== lastKey || !content.firstChild) {
			lastKey = key;
			content.replaceChildren(render(res.rows || []));
		}
		const had = document.activeElement;
		prev.disabled = page === 0;
		next.disabled = !nextToken;
		nav.hidden = page === 0 && !nextToken;
		// A button that just became disabled would drop the keyboard focus: hand it over.
		if (had === next && next.disabled && !prev.disabled) prev.focus();
		else if (had === prev && prev.disabled && !next.disabled) next.focus();
		label.textContent = page === 0 && !nextToken ? '' : `Page ${page + 1}`;
		return res;
	}
	prev.addEventListener('click', () => { if (page > 0) show(page - 1); });
	next.addEventListener('click', () => { if (nextToken) show(page + 1); });
	el.reload = () => show(page, true);
	el.first = () => { tokens.length = 1; lastKey = null; return show(0); };
	el.first();
	return el;
}

// Call fn every ms milliseconds (the first time after ms) while the page that started it is
// shown and the tab is visible; no two calls overlap. fn resolving false stops it. Returns a
// cleanup (also run when the user leaves the page).
export function poll(fn, ms) {
	let stopped = false, timer = null;
	const stop = () => { stopped = true; if (timer) clearTimeout(timer); timer = null; };
	const tick = async () => {
		timer = null;
		if (stopped) return;
		if (!document.hidden) {
			let r;
			try { r = await fn(); } catch (e) { console.warn('poll', e); }
			if (r === false) { stop(); return; }
		}
		if (!stopped) timer = setTimeout(tick, ms);
	};
	timer = setTimeout(tick, ms);
	onLeave(stop);
	return stop;
}

export function debounce(fn, ms) {
	let t = null;
	const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
	d.cancel = () => clearTimeout(t);
	return d;
}

// The last part of an ARN (a state machine's or an execution's name).
export function arnName(arn) {
	if (!arn) return '';
	const s = String(arn);
	const i = s.lastIndexOf(':');
	return i < 0 ? s : s.slice(i + 1);
}

const KIB = 1024;
export const JSON_VIEW_MAX = 256 * KIB;
const JSON_PRETTY_MAX = 8 * KIB * KIB;

function sizeText(n) {
	const f = x => x.toFixed(1).replace(/\.0$/, '');
	return n < KIB ? `${n} characters` : n < KIB * KIB ? `${f(n / KIB)} KiB` : `${f(n / KIB / KIB)} MiB`;
}

// Pretty-printed JSON in a <pre>. text: a JSON text (what the API gives), or any value. Text
// that is not JSON is shown as it is; more than 256 KiB is cut, with a note and a Copy button
// that copies all of it.
export function jsonView(text, { label } = {}) {
	if (text === undefined || text === null)
		return h('div', { class: 'json-view empty', 'data-testid': 'json-view' }, h('span', { class: 'muted' }, '—'));
	let shown;
	if (typeof text !== 'string') shown = JSON.stringify(text, null, 2);
	else if (text.length <= JSON_PRETTY_MAX) {
		try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { shown = text; }
	} else shown = text;
	const full = shown;
	const cut = full.length > JSON_VIEW_MAX;
	const pre = h('pre', { class: 'json', tabindex: '0', 'aria-label': label || 'JSON' },
		cut ? full.slice(0, JSON_VIEW_MAX) : full);
	const copy = h('button', { type: 'button', class: 'small copy', on: { click: async () => {
		try { await navigator.clipboard.writeText(full); copy.textContent = 'Copied'; }
		catch { copy.textContent = 'Copy failed'; }
		setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
	} }, 'aria-label': `Copy ${label || 'JSON'}` }, 'Copy');
	return h('div', { class: 'json-view', 'data-testid': 'json-view' },
		h('div', { class: 'json-tools' }, copy),
		cut ? h('p', { class: 'note', 'data-testid': 'json-truncated' },
			`Showing the first ${sizeText(JSON_VIEW_MAX)} of ${sizeText(full.length)}. Copy takes all of it.`) : null,
		pre);
}

// ---------------------------------------------------------------------------------------------
// Confirmation (a modal <dialog>): resolves true when confirmed.

export function confirmDialog(message, ok = 'OK', { danger = true } = {}) {
	return new Promise(resolve => {
		const done = v => { dlg.close(); dlg.remove(); resolve(v); };
		const dlg = h('dialog', { class: 'confirm', 'data-testid': 'confirm-dialog', 'aria-labelledby': 'confirm-msg' },
			h('p', { id: 'confirm-msg' }, message),
			h('div', { class: 'actions' },
				h('button', { type: 'button', 'data-testid': 'confirm-cancel', on: { click: () => done(false) } }, 'Cancel'),
				h('button', { type: 'button', class: danger ? 'danger' : 'primary', 'data-testid': 'confirm-ok',
					on: { click: () => done(true) } }, ok)));
		dlg.addEventListener('cancel', ev => { ev.preventDefault(); done(false); });
		document.body.append(dlg);
		dlg.showModal();
		dlg.querySelector('[data-testid=confirm-cancel]').focus();
	});
}

// ---------------------------------------------------------------------------------------------
// The graph

const SVG_MAX = 32 * KIB * KIB;

// POST /console/api/graph {definition} | {stateMachineArn} → the SVG element (laid out by
// Graphviz on the server), its state nodes made focusable buttons.
export async function graphSvg(body) {
	const res = await send('POST', '/console/api/graph', { 'Content-Type': 'application/json' },
		JSON.stringify(body), 'states');
	const text = await res.text();
	if (!res.ok) throw await errorOf(res, text);
	if (text.length > SVG_MAX) throw new ApiError(res.status, 'InvalidResponse', 'the graph is over 32 MiB');
	const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
	const root = doc.documentElement;
	if (!root || root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length)
		throw new ApiError(res.status, 'InvalidResponse', 'the graph is not SVG: ' + text.slice(0, 200));
	// Nothing executable from the server's text: no scripts, no on* attributes, no foreign objects.
	for (const bad of root.querySelectorAll('script, foreignObject')) bad.remove();
	for (const el of root.querySelectorAll('*'))
		for (const a of [...el.attributes]) if (/^on/i.test(a.name)) el.removeAttribute(a.name);
	const svg = document.importNode(root, true);
	const w = parseFloat(svg.getAttribute('width')), ht = parseFloat(svg.getAttribute('height'));
	if (w && ht) { svg.dataset.width = w * 4 / 3; svg.dataset.height = ht * 4 / 3; }   // pt → px
	svg.removeAttribute('width');
	svg.removeAttribute('height');
	svg.setAttribute('role', 'group');
	svg.setAttribute('aria-label', 'State machine graph');
	for (const g of svg.querySelectorAll('g.state')) {
		const name = stateName(g);
		g.setAttribute('tabindex', '0');
		g.setAttribute('role', 'button');
		g.setAttribute('data-state', name);
		g.setAttribute('aria-label', name);
		const title = g.querySelector(':scope > title');
		if (title) title.remove();   // the aria-label says it; Graphviz's title is its node id
	}
	svg.__states = [...svg.querySelectorAll('g.state')];
	return svg;
}

function stateName(g) {
	const id = g.getAttribute('id') || '';
	return id.startsWith('state:') ? id.slice(6) : id;
}

const STATUS_CLASSES = ['status-succeeded', 'status-failed', 'status-caught', 'status-running', 'status-not-reached'];

// Colour the states: status-<x> for those in states (DescribeExecutionStates' answer),
// status-not-reached for the rest. Only nodes whose status changed are touched.
export function colorGraph(svg, states) {
	const nodes = svg.__states || (svg.__states = [...svg.querySelectorAll('g.state')]);
	for (const g of nodes) {
		const name = g.getAttribute('data-state') || stateName(g);
		const st = states && states[name];
		const status = st ? String(st.status).toLowerCase().replace(/_/g, '-') : 'not-reached';
		const cls = 'status-' + status;
		let label = `${name}: ${status.replace(/-/g, ' ')}`;
		if (st && st.iterations) {
			const it = st.iterations;
			label += `, ${it.total ?? '?'} iterations (${it.SUCCEEDED || 0} succeeded, ${it.FAILED || 0} failed, ` +
				`${it.RUNNING || 0} running${it.ABORTED ? `, ${it.ABORTED} aborted` : ''})`;
		}
		if (g.getAttribute('data-status') !== cls) {
			g.classList.remove(...STATUS_CLASSES);
			g.classList.add(cls);
			g.setAttribute('data-status', cls);
		}
		if (g.getAttribute('aria-label') !== label) g.setAttribute('aria-label', label);
	}
	for (const id of ['__start', '__end']) {
		const g = svg.getElementById ? svg.getElementById(id) : svg.querySelector(`[id="${id}"]`);
		if (g) g.classList.add('terminal');
	}
}

// The SVG in a scrollable box with zoom buttons (Fit, −, +, 100 %). Clicking or pressing
// Enter/Space on a state calls onSelect(name, g). The SVG is inserted once.
export function graphPanel(svg, { onSelect, label = 'Graph' } = {}) {
	const box = h('div', { class: 'graph-scroll' });
	const naturalW = Number(svg.dataset.width) || 600, naturalH = Number(svg.dataset.height) || 400;
	// 0: fit. A graph that would shrink below 40 % to fit (hundreds of states) starts at 100 %,
	// scrolled, rather than as an unreadable sliver.
	const fitScale = Math.min(1, (window.innerWidth * 0.6) / naturalW, (window.innerHeight * 0.7) / naturalH);
	let zoom = fitScale < 0.4 ? 1 : 0;
	const apply = () => {
		if (zoom === 0) { svg.style.width = `${Math.round(naturalW)}px`; box.classList.add('fit'); }
		else { svg.style.width = `${Math.round(naturalW * zoom)}px`; box.classList.remove('fit'); }
		level.textContent = zoom === 0 ? '' : `${Math.round(zoom * 100)} %`;
		fitBtn.setAttribute('aria-pressed', String(zoom === 0));
	};
	const level = h('span', { class: 'zoom-level', 'aria-live': 'polite' }, '');
	const fitBtn = h('button', { type: 'button', class: 'small', title: 'Fit the graph in the box',
		on: { click: () => { zoom = 0; apply(); } } }, 'Fit');
	const curZoom = () => zoom || Math.min(1, box.clientWidth / naturalW) || 1;
	const tools = h('div', { class: 'graph-tools', role: 'toolbar', 'aria-label': `${label} zoom` },
		fitBtn,
		h('button', { type: 'button', class: 'small', 'aria-label': 'Zoom out',
			on: { click: () => { zoom = Math.max(0.1, curZoom() / 1.25); apply(); } } }, '−'),
		h('button', { type: 'button', class: 'small', 'aria-label': 'Zoom in',
			on: { click: () => { zoom = Math.min(4, curZoom() * 1.25); apply(); } } }, '+'),
		h('button', { type: 'button', class: 'small', on: { click: () => { zoom = 1; apply(); } } }, '100 %'),
		level);
	box.append(svg);
	apply();
	if (onSelect) {
		const pick = ev => {
			const g = ev.target.closest && ev.target.closest('g.state');
			if (!g || !svg.contains(g)) return;
			if (ev.type === 'keydown') {
				if (ev.key !== 'Enter' && ev.key !== ' ') return;
				ev.preventDefault();
			}
			onSelect(g.getAttribute('data-state'), g);
		};
		svg.addEventListener('click', pick);
		svg.addEventListener('keydown', pick);
	}
	return h('div', { class: 'graph', 'data-testid': 'graph' }, tools, box);
}

// Mark one state as the selected one (aria-pressed + a class).
export function selectGraphState(svg, name) {
	for (const g of svg.__states || svg.querySelectorAll('g.state')) {
		const on = g.getAttribute('data-state') === name;
		if (on !== g.classList.contains('selected')) {
			g.classList.toggle('selected', on);
			g.setAttribute('aria-pressed', on ? 'true' : 'false');
		}
	}
}
