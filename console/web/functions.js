// functions.js — the Lambda pages: functions list, a function's page
// (configuration, versions, Invoke with the log tail, recent invocations),
// layers list and a layer's page. Built on core.js.
//
// data-testid hooks (tests/browser/console.test.mjs relies on them):
//   fn-list (the table), fn-row (data-name), fn-config, fn-env (the
//   environment table), fn-versions, fn-payload, fn-invoke, fn-result,
//   fn-function-error, fn-log-tail, fn-invocations, fn-invocation-row
//   (data-status: Success or the error type), layer-list, layer-row
//   (data-name), layer-versions.
//
// Hashes: #/functions, #/functions/NAME, #/layers, #/layers/NAME.

import { api, rest, h, time, duration, badge, errorBox, table, pager, poll, jsonView } from './core.js';

const enc = encodeURIComponent;
const PAGE = 50;            // functions / layers per page
const INVOCATIONS = 50;     // recent invocations shown
const REFRESH_MS = 2000;    // and refreshed this often while the page is shown
const LOG_STYLE = { maxHeight: '24rem', overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };
const PAYLOAD_MAX = 6 << 20; // Lambda's synchronous payload limit: refused here rather than sent

// Lambda's dates are ISO strings with a "+0000" offset; time() takes epoch seconds.
export function isoSeconds(s) {
	if (typeof s !== 'string') return undefined;
	const t = Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
	return Number.isFinite(t) ? t / 1000 : undefined;
}
function when(s) {
	const t = isoSeconds(s);
	return t === undefined ? String(s ?? '—') : time(t);
}
// The last segment(s) of a layer version ARN: arn:aws:lambda:R:A:layer:NAME:VERSION
function layerOf(arn) {
	const m = /:layer:([^:]+)(?::(\d+))?$/.exec(arn || '');
	return m ? { name: m[1], version: m[2] } : { name: arn, version: undefined };
}
// base64 → UTF-8 text (the X-Amz-Log-Result header); invalid input → a note, not an exception.
export function decodeBase64(b64) {
	try {
		const bin = atob(b64);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	} catch (e) {
		return `(the log tail is not valid base64: ${e.message})`;
	}
}
// The Lambda invocation status as the badge's vocabulary: Success → SUCCEEDED, an error type → FAILED.
function invocationBadge(status) {
	const b = badge(status === 'Success' ? 'SUCCEEDED' : 'FAILED');
	if (status !== 'Success') b.append(' ', h('code', {}, status));
	return b;
}
// Durations of invocations are often under a millisecond: two decimals below 10 ms.
function fine(ms) {
	return typeof ms === 'number' && ms < 10 ? `${ms.toFixed(2)} ms` : duration(ms);
}
function section(title, ...children) {
	return h('section', { class: 'card', style: { marginTop: '1rem' } }, h('h2', {}, title), ...children);
}
function dl(pairs) {
	return h('dl', { class: 'facts' }, pairs.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v ?? '—'))));
}
// A table in its scrolling frame (app.css: .table-wrap).
function framed(t) {
	return h('div', { class: 'table-wrap' }, t);
}

// ---- #/functions ------------------------------------------------------------------------

function functionsList(params, main) {
	main.replaceChildren(
		h('h1', {}, 'Functions'),
		pager({
			load: async (marker) => {
				let p = `/2015-03-31/functions/?MaxItems=${PAGE}`;
				if (marker) p += `&Marker=${enc(marker)}`;
				const r = await rest('GET', p);
				return { rows: r.json.Functions || [], nextToken: r.json.NextMarker };
			},
			render: (rows) => {
				const t = table({
					columns: [
						{ title: 'Name', render: (f) => h('a', { href: `#/functions/${enc(f.FunctionName)}` }, f.FunctionName) },
						{ title: 'Runtime', render: (f) => f.Runtime || '—' },
						{ title: 'Handler', render: (f) => f.Handler || '—' },
						{ title: 'Memory', render: (f) => `${f.MemorySize} MB` },
						{ title: 'Timeout', render: (f) => `${f.Timeout} s` },
						{ title: 'Layers', render: (f) => String((f.Layers || []).length) },
						{ title: 'Last modified', render: (f) => when(f.LastModified) },
					],
					rows,
					empty: 'No functions yet: tutti function create NAME --code FILE.so',
					rowAttrs: (f) => ({ 'data-testid': 'fn-row', dataset: { name: f.FunctionName } }),
					attrs: { 'data-testid': 'fn-list' },
				});
				return framed(t);
			},
		}));
}

// ---- #/functions/:name ------------------------------------------------------------------

function configView(c) {
	const env = (c.Environment && c.Environment.Variables) || {};
	const keys = Object.keys(env).sort();
	const envView = keys.length
		? h('table', { class: 'env', 'data-testid': 'fn-env' },
			h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Variable'), h('th', { scope: 'col' }, 'Value'))),
			h('tbody', {}, keys.map((k) => h('tr', {}, h('td', {}, h('code', {}, k)), h('td', {}, h('code', {}, String(env[k])))))))
		: 'none';
	const layers = (c.Layers || []).map((l) => {
		const { name, version } = layerOf(l.Arn);
		return h('li', {}, h('a', { href: `#/layers/${enc(name)}` }, name), version ? ` version ${version}` : '');
	});
	return dl([
		['ARN', h('code', {}, c.FunctionArn)],
		['Runtime', c.Runtime],
		['Handler', c.Handler],
		['Memory', `${c.MemorySize} MB`],
		['Timeout', `${c.Timeout} s`],
		['Version', c.Version],
		['State', c.State],
		['Code', `${c.CodeSize} bytes, SHA-256 ${c.CodeSha256}`],
		['Last modified', when(c.LastModified)],
		['Environment', envView],
		['Layers', layers.length ? h('ul', { class: 'plain' }, layers) : 'none'],
	]);
}

function invokeForm(name, onDone) {
	const payload = h('textarea', { id: 'fn-payload', rows: 6, spellcheck: 'false', 'data-testid': 'fn-payload',
		class: 'code', style: { width: '100%' } }, '{}');
	const out = h('div', { 'aria-live': 'polite' });
	const button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'fn-invoke' }, 'Invoke');
	const form = h('form', { class: 'invoke', on: { submit: async (ev) => {
		ev.preventDefault();
		const body = payload.value;
		const bytes = new Blob([body]).size;
		if (bytes > PAYLOAD_MAX) {
			out.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, `The payload is ${bytes} bytes; Lambda takes at most ${PAYLOAD_MAX}.`));
			return;
		}
		button.disabled = true;
		out.replaceChildren(h('p', {}, 'Invoking…'));
		const t0 = performance.now();
		try {
			const r = await rest('POST', `/2015-03-31/functions/${enc(name)}/invocations`, body,
				{ 'X-Amz-Log-Type': 'Tail', 'Content-Type': 'application/json' });
			const ms = performance.now() - t0;
			const ferr = r.headers.get('X-Amz-Function-Error');
			const log = r.headers.get('X-Amz-Log-Result');
			const parts = [h('p', {}, ferr ? badge('FAILED') : badge('SUCCEEDED'), ` in ${duration(ms)} (round trip)`,
				r.headers.get('X-Amz-Executed-Version') ? `, version ${r.headers.get('X-Amz-Executed-Version')}` : '')];
			if (ferr) {
				let type = '', msg = '';
				try { const j = JSON.parse(r.text); type = j.errorType || ''; msg = j.errorMessage || ''; } catch { /* shown below as is */ }
				parts.push(h('div', { class: 'error-box', role: 'alert', 'data-testid': 'fn-function-error' },
					h('strong', {}, `Function error (${ferr})`), type ? h('div', {}, h('code', {}, type)) : '',
					msg ? h('div', {}, msg) : ''));
			}
			parts.push(h('h3', {}, 'Result'), h('div', { 'data-testid': 'fn-result' }, jsonView(r.text, { label: 'Result' })));
			const tail = h('pre', { class: 'log', style: LOG_STYLE, 'data-testid': 'fn-log-tail' }, log ? decodeBase64(log) : '(no log tail in the answer)');
			parts.push(h('h3', {}, 'Log tail'), tail);
			out.replaceChildren(...parts);
			onDone();
		} catch (err) {
			out.replaceChildren(errorBox(err));
		} finally {
			button.disabled = false;
		}
	} } },
	h('div', { class: 'field' }, h('label', { for: 'fn-payload' }, 'Payload (JSON)'), payload),
	h('div', { class: 'row' }, button, h('span', { class: 'note' }, 'Ctrl+Enter in the payload invokes too')));
	payload.addEventListener('keydown', (ev) => {
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
	});
	return h('div', {}, form, out);
}

// The recent invocations; load() again shows new ones and leaves the table
// (and its opened log tails) alone when nothing changed.
function invocationsView(name) {
	const box = h('div', { 'data-testid': 'fn-invocations' }, 'Loading…');
	let shown = null;
	const load = async () => {
		try {
			const r = await api('Tutti.ListInvocations', { FunctionName: name, MaxItems: INVOCATIONS });
			const rows = r.Invocations || [];
			const key = JSON.stringify(rows);
			if (key === shown) return;
			shown = key;
			const t = table({
				columns: [
					{ title: 'Started', render: (v) => time(v.StartTime) },
					{ title: 'Status', render: (v) => invocationBadge(v.Status) },
					{ title: 'Duration', render: (v) => fine(v.DurationMs), class: 'num' },
					{ title: 'Init', render: (v) => (v.InitDurationMs !== undefined ? fine(v.InitDurationMs) : 'warm'), class: 'num' },
					{ title: 'Max memory', render: (v) => (v.MaxMemoryUsedMB !== undefined ? `${v.MaxMemoryUsedMB} MB` : '—') },
					{ title: 'Version', render: (v) => v.Version || '—' },
					{ title: 'Request id', render: (v) => h('code', {}, v.RequestId) },
					{ title: 'Log', render: (v) => (v.LogTail
						? h('details', {}, h('summary', {}, 'log tail'), h('pre', { class: 'log', style: LOG_STYLE }, v.LogTail))
						: '—') },
				],
				rows,
				empty: 'No invocations recorded yet.',
				rowAttrs: (v) => ({ 'data-testid': 'fn-invocation-row', dataset: { status: v.Status } }),
			});
			box.replaceChildren(framed(t));
		} catch (err) {
			shown = null;
			box.replaceChildren(errorBox(err));
		}
	};
	load();
	return { box, load };
}

function versionsView(name) {
	const box = h('div', { 'data-testid': 'fn-versions' }, 'Loading…');
	(async () => {
		try {
			// A function has few versions; still, one page of 50 at most is shown.
			const r = await rest('GET', `/2015-03-31/functions/${enc(name)}/versions?MaxItems=${PAGE}`);
			const rows = r.json.Versions || [];
			box.replaceChildren(framed(table({
				columns: [
					{ title: 'Version', render: (v) => v.Version },
					{ title: 'Description', render: (v) => v.Description || '—' },
					{ title: 'Code SHA-256', render: (v) => h('code', {}, v.CodeSha256 || '—') },
					{ title: 'Last modified', render: (v) => when(v.LastModified) },
				],
				rows,
				empty: 'No versions.',
			})), r.json.NextMarker ? h('p', {}, `More than ${PAGE} versions: the first ${PAGE} are shown.`) : '');
		} catch (err) {
			box.replaceChildren(errorBox(err));
		}
	})();
	return box;
}

function functionPage(params, main) {
	const name = params.name;
	const config = h('div', { 'data-testid': 'fn-config' }, 'Loading…');
	const inv = invocationsView(name);
	main.replaceChildren(
		h('p', { class: 'crumbs' }, h('a', { href: '#/functions' }, 'Functions'), ' / ', name),
		h('h1', {}, name),
		h('div', { class: 'cols' },
			section('Configuration', config),
			section('Invoke', invokeForm(name, inv.load))),
		section(`Recent invocations (the last ${INVOCATIONS}, refreshed every ${REFRESH_MS / 1000} s)`, inv.box),
		section('Versions', versionsView(name)));
	rest('GET', `/2015-03-31/functions/${enc(name)}`)
		.then((r) => config.replaceChildren(configView(r.json.Configuration || {})))
		.catch((err) => config.replaceChildren(errorBox(err)));
	return poll(inv.load, REFRESH_MS);
}

// ---- #/layers, #/layers/:name --------------------------------------------------------------

function layersList(params, main) {
	main.replaceChildren(
		h('h1', {}, 'Layers'),
		pager({
			load: async (marker) => {
				let p = `/2018-10-31/layers?MaxItems=${PAGE}`;
				if (marker) p += `&Marker=${enc(marker)}`;
				const r = await rest('GET', p);
				return { rows: r.json.Layers || [], nextToken: r.json.NextMarker };
			},
			render: (rows) => {
				const t = table({
					columns: [
						{ title: 'Name', render: (l) => h('a', { href: `#/layers/${enc(l.LayerName)}` }, l.LayerName) },
						{ title: 'Latest version', render: (l) => String(l.LatestMatchingVersion?.Version ?? '—') },
						{ title: 'Description', render: (l) => l.LatestMatchingVersion?.Description || '—' },
						{ title: 'Created', render: (l) => when(l.LatestMatchingVersion?.CreatedDate) },
					],
					rows,
					empty: 'No layers yet: tutti layer publish NAME DIR',
					rowAttrs: (l) => ({ 'data-testid': 'layer-row', dataset: { name: l.LayerName } }),
					attrs: { 'data-testid': 'layer-list' },
				});
				return framed(t);
			},
		}));
}

function layerPage(params, main) {
	const name = params.name;
	main.replaceChildren(
		h('p', { class: 'crumbs' }, h('a', { href: '#/layers' }, 'Layers'), ' / ', name),
		h('h1', {}, `Layer ${name}`),
		section('Versions', pager({
			load: async (marker) => {
				let p = `/2018-10-31/layers/${enc(name)}/versions?MaxItems=${PAGE}`;
				if (marker) p += `&Marker=${enc(marker)}`;
				const r = await rest('GET', p);
				return { rows: r.json.LayerVersions || [], nextToken: r.json.NextMarker };
			},
			render: (rows) => {
				const t = table({
					columns: [
						{ title: 'Version', render: (v) => String(v.Version) },
						{ title: 'ARN', render: (v) => h('code', {}, v.LayerVersionArn) },
						{ title: 'Description', render: (v) => v.Description || '—' },
						{ title: 'Runtimes', render: (v) => (v.CompatibleRuntimes || []).join(', ') || '—' },
						{ title: 'Created', render: (v) => when(v.CreatedDate) },
					],
					rows,
					empty: 'No versions.',
					attrs: { 'data-testid': 'layer-versions' },
				});
				return framed(t);
			},
		})));
}

export function register(route) {
	route('#/functions', functionsList);
	route('#/functions/:name', functionPage);
	route('#/layers', layersList);
	route('#/layers/:name', layerPage);
}
