// schedules.js — EventBridge Scheduler schedules and EventBridge rules with a
// schedule expression: each one's next 5 fire times (Tutti.NextFireTimes,
// local time, UTC on hover) and the executions (or invocations) its fires
// started (Tutti.ListFires). Built on core.js.
//
// data-testid hooks (tests/browser/console.test.mjs relies on them):
//   schedule-list, schedule-row (data-name), rule-list, rule-row (data-name),
//   fire-times (the list; each fire-time holds a <time>), fire-times-none,
//   fires, fire-row (data-status: STARTED|FAILED|PENDING), fire-exec-link.
//
// Hashes: #/schedules, #/schedules/groups/GROUP/NAME, #/schedules/rules/NAME.
// An execution's page is #/executions/<encodeURIComponent(executionArn)> (executions.js).

import { api, h, time, timeZone, badge, errorBox, table, pager, poll, jsonView } from './core.js';

const enc = encodeURIComponent;
const PAGE = 50;         // schedules / rules per page
const FIRES = 50;        // recent fires shown on a schedule's page
const NEXT = 5;          // next fire times shown
const PARALLEL = 6;      // GetSchedule / NextFireTimes calls in flight for one list page
const REFRESH_MS = 2000; // a schedule's page refreshes its fires this often

// Links to what a target ARN names: a state machine, a function, or the ARN as text.
export function targetLink(arn) {
	if (typeof arn !== 'string') return '—';
	if (/^arn:aws:states:[^:]*:[^:]*:stateMachine:/.test(arn))
		return h('a', { href: `#/state-machines/${enc(arn)}` }, arn.replace(/^.*:stateMachine:/, ''));
	const fn = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(arn);
	if (fn) return h('a', { href: `#/functions/${enc(fn[1])}` }, fn[1]);
	return h('code', {}, arn);
}
export function executionLink(arn) {
	return h('a', { href: `#/executions/${enc(arn)}`, 'data-testid': 'fire-exec-link' },
		arn.replace(/^.*:execution:[^:]+:/, ''));
}

// map with at most `limit` promises in flight; results in order, errors as values.
async function mapLimit(items, limit, fn) {
	const out = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			try { out[i] = await fn(items[i]); } catch (err) { out[i] = { error: err }; }
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}

// The next fire times of a schedule or a rule ({ScheduleArn} or {RuleArn}):
// the server computes them from the stored expression, time zone, start and
// end, and (for rate()) the anchor the scheduler uses.
async function nextFires(ref, count = NEXT) {
	const r = await api('Tutti.NextFireTimes', { ...ref, Count: count });
	const times = r.FireTimes || [];
	times.zone = r.ScheduleExpressionTimezone;
	return times;
}

// "Mon 08:30 in Europe/Paris": a fire time in the schedule's own time zone,
// when that is not the browser's (nothing otherwise, or for a zone the
// browser does not know).
function inZone(epochSeconds, zone) {
	if (!zone || zone === timeZone) return null;
	try {
		const f = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', hour: '2-digit',
			minute: '2-digit', hourCycle: 'h23' });
		return h('span', { class: 'muted' }, ` (${f.format(new Date(epochSeconds * 1000))} in ${zone})`);
	} catch {
		return null;
	}
}

const stateBadge = (state) => badge(state || 'UNKNOWN');
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
function firstFire(times) {
	if (times && times.error) return errorBox(times.error);
	return times && times.length ? time(times[0]) : 'none';
}

// ---- #/schedules -------------------------------------------------------------------------

function schedulesTable(rows) {
	const t = table({
		columns: [
			{ title: 'Name', render: (s) => h('a', { href: `#/schedules/groups/${enc(s.GroupName || 'default')}/${enc(s.Name)}` }, s.Name) },
			{ title: 'Group', render: (s) => s.GroupName || 'default' },
			{ title: 'State', render: (s) => stateBadge(s.State) },
			{ title: 'Expression', render: (s) => h('code', {}, s.detail?.ScheduleExpression || '—') },
			{ title: 'Time zone', render: (s) => s.detail?.ScheduleExpressionTimezone || 'UTC' },
			{ title: 'Target', render: (s) => targetLink(s.Target?.Arn) },
			{ title: 'Next fire', render: (s) => firstFire(s.next) },
		],
		rows,
		empty: 'No schedules: tutti schedule create NAME --schedule-expression EXPR --target ARN',
		rowAttrs: (s) => ({ 'data-testid': 'schedule-row', dataset: { name: s.Name } }),
		attrs: { 'data-testid': 'schedule-list' },
	});
	return framed(t);
}

function rulesTable(rows) {
	const t = table({
		columns: [
			{ title: 'Name', render: (r) => h('a', { href: `#/schedules/rules/${enc(r.Name)}` }, r.Name) },
			{ title: 'State', render: (r) => stateBadge(r.State) },
			{ title: 'Expression', render: (r) => h('code', {}, r.ScheduleExpression) },
			{ title: 'Next fire', render: (r) => firstFire(r.next) },
		],
		rows,
		empty: 'No rules with a schedule expression on this page.',
		rowAttrs: (r) => ({ 'data-testid': 'rule-row', dataset: { name: r.Name } }),
		attrs: { 'data-testid': 'rule-list' },
	});
	return framed(t);
}

function schedulesPage(params, main) {
	main.replaceChildren(
		h('h1', {}, 'Schedules'),
		section('EventBridge Scheduler schedules', pager({
			load: async (token) => {
				const q = { MaxResults: PAGE };
				if (token) q.NextToken = token;
				const r = await api('TuttiScheduler.ListSchedules', q);
				const rows = r.Schedules || [];
				// Each row's expression and its next fire: a bounded number of calls in flight.
				await mapLimit(rows, PARALLEL, async (s) => {
					try {
						s.detail = await api('TuttiScheduler.GetSchedule', { Name: s.Name, GroupName: s.GroupName });
						s.next = await nextFires({ ScheduleArn: s.Arn }, 1);
					} catch (err) {
						s.next = { error: err };
					}
				});
				return { rows, nextToken: r.NextToken };
			},
			render: schedulesTable,
		})),
		section('EventBridge rules with a schedule', pager({
			load: async (token) => {
				const q = { Limit: PAGE };
				if (token) q.NextToken = token;
				const r = await api('AWSEvents.ListRules', q);
				const rows = (r.Rules || []).filter((x) => x.ScheduleExpression);
				await mapLimit(rows, PARALLEL, async (x) => {
					try { x.next = await nextFires({ RuleArn: x.Arn }, 1); } catch (err) { x.next = { error: err }; }
				});
				return { rows, nextToken: r.NextToken };
			},
			render: rulesTable,
		})));
}

// ---- a schedule's or a rule's page: next fire times and fires --------------------------------

function fireTimesView(ref, state) {
	const box = h('div', { 'data-testid': 'fire-times-box' }, 'Loading…');
	nextFires(ref)
		.then((times) => {
			if (!times.length) {
				box.replaceChildren(h('p', { 'data-testid': 'fire-times-none' }, 'No fire times ahead.'));
				return;
			}
			box.replaceChildren(
				state && state !== 'ENABLED' ? h('p', {}, `This one is ${state}: these are the times it would fire.`) : '',
				h('ol', { class: 'fire-times', 'data-testid': 'fire-times' },
					times.map((t) => h('li', { 'data-testid': 'fire-time' }, time(t), inZone(t, times.zone)))));
		})
		.catch((err) => box.replaceChildren(errorBox(err)));
	return box;
}

function firesView(query, withTarget) {
	const box = h('div', { 'data-testid': 'fires' }, 'Loading…');
	let shown = '';
	const load = async () => {
		try {
			const r = await api('Tutti.ListFires', { ...query, MaxResults: FIRES });
			const rows = r.Fires || [];
			const key = JSON.stringify(rows);
			if (key === shown) return;   // unchanged: keep the DOM (and the focus) as it is
			shown = key;
			const columns = [
				{ title: 'Fire time', render: (f) => time(f.FireTime) },
				{ title: 'Status', render: (f) => badge(f.Status) },
				{ title: 'Started', render: (f) => (f.ExecutionArn ? executionLink(f.ExecutionArn)
					: f.FunctionArn ? targetLink(f.FunctionArn) : '—') },
				{ title: 'Error', render: (f) => (f.Error ? h('code', {}, f.Error) : '—') },
				{ title: 'Recorded', render: (f) => (f.RecordedAt !== undefined ? time(f.RecordedAt) : '—') },
			];
			if (withTarget) columns.splice(1, 0, { title: 'Target', render: (f) => f.TargetId || '—' });
			const t = table({ columns, rows, empty: 'No fires yet.',
				rowAttrs: (f) => ({ 'data-testid': 'fire-row', dataset: { status: f.Status } }) });
			box.replaceChildren(framed(t), rows.length >= FIRES ? h('p', {}, `The ${FIRES} most recent fires.`) : '');
		} catch (err) {
			shown = '';
			box.replaceChildren(errorBox(err));
		}
	};
	return { box, load };
}

function schedulePage(params, main) {
	const { group, name } = params;
	const head = h('div', {}, 'Loading…');
	const fires = h('div');
	let stop = null;
	main.replaceChildren(
		h('p', { class: 'crumbs' }, h('a', { href: '#/schedules' }, 'Schedules'), ' / ', group, ' / ', name),
		h('h1', {}, `Schedule ${name}`),
		head, fires);
	let gone = false;
	api('TuttiScheduler.GetSchedule', { Name: name, GroupName: group })
		.then((s) => {
			if (gone) return;
			const target = s.Target || {};
			head.replaceChildren(
				h('div', { class: 'cols' },
					section('Configuration', dl([
						['ARN', h('code', {}, s.Arn)],
						['State', stateBadge(s.State)],
						['Expression', h('code', {}, s.ScheduleExpression)],
						['Time zone', s.ScheduleExpressionTimezone || 'UTC'],
						['Start', s.StartDate !== undefined ? time(s.StartDate) : '—'],
						['End', s.EndDate !== undefined ? time(s.EndDate) : '—'],
						['After completion', s.ActionAfterCompletion],
						['Target', targetLink(target.Arn)],
						['Target input', target.Input !== undefined ? jsonView(target.Input) : '—'],
						['Created', s.CreationDate !== undefined ? time(s.CreationDate) : '—'],
					])),
					section(`Next ${NEXT} fire times`, fireTimesView({ ScheduleArn: s.Arn }, s.State))));
			const f = firesView({ ScheduleArn: s.Arn }, false);
			fires.replaceChildren(section('Fires and what they started', f.box));
			f.load();
			stop = poll(f.load, REFRESH_MS);
		})
		.catch((err) => head.replaceChildren(errorBox(err)));
	return () => { gone = true; if (stop) stop(); };
}

function rulePage(params, main) {
	const { name } = params;
	const head = h('div', {}, 'Loading…');
	const rest = h('div');
	let stop = null;
	let gone = false;
	main.replaceChildren(
		h('p', { class: 'crumbs' }, h('a', { href: '#/schedules' }, 'Schedules'), ' / rules / ', name),
		h('h1', {}, `Rule ${name}`),
		head, rest);
	Promise.all([api('AWSEvents.DescribeRule', { Name: name }), api('AWSEvents.ListTargetsByRule', { Rule: name })])
		.then(([r, t]) => {
			if (gone) return;
			const targets = t.Targets || [];
			head.replaceChildren(
				h('div', { class: 'cols' },
					section('Configuration', dl([
						['ARN', h('code', {}, r.Arn)],
						['State', stateBadge(r.State)],
						['Expression', r.ScheduleExpression ? h('code', {}, r.ScheduleExpression) : 'none (an event pattern rule)'],
						['Event bus', r.EventBusName],
						['Description', r.Description],
					])),
					r.ScheduleExpression
						? section(`Next ${NEXT} fire times`, fireTimesView({ RuleArn: r.Arn }, r.State))
						: ''),
				section('Targets', framed(table({
					columns: [
						{ title: 'Id', render: (x) => x.Id },
						{ title: 'Target', render: (x) => targetLink(x.Arn) },
						{ title: 'Input', render: (x) => (x.Input !== undefined ? jsonView(x.Input) : '—') },
					],
					rows: targets,
					empty: 'No targets: its fires start nothing.',
				}))));
			const f = firesView({ RuleArn: r.Arn }, true);
			rest.replaceChildren(section('Fires and what they started', f.box));
			f.load();
			stop = poll(f.load, REFRESH_MS);
		})
		.catch((err) => head.replaceChildren(errorBox(err)));
	return () => { gone = true; if (stop) stop(); };
}

export function register(route) {
	route('#/schedules', schedulesPage);
	route('#/schedules/groups/:group/:name', schedulePage);
	route('#/schedules/rules/:name', rulePage);
}
