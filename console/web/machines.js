// machines.js — state machines: the list, a machine's page (graph and definition side by side,
// the editor that validates as you type, Save, Start execution, recent executions), and the
// create page.
import {
	api, h, fill, time, badge, errorBox, table, pager, poll, debounce, navigate, setTitle,
	graphSvg, graphPanel, confirmDialog, arnName,
} from './core.js';
import { execTable } from './executions.js';

const PAGE = 50;
const ROLE = 'arn:aws:iam::000000000000:role/tutti';
const enc = encodeURIComponent;
export const machineHref = arn => `#/state-machines/${enc(arn)}`;

export function register(route) {
	route('#/state-machines', listPage);
	route('#/state-machines/new', createPage);
	route('#/state-machines/:arn', machinePage);
}

// ---------------------------------------------------------------------------------------------
// What starts a machine on time: EventBridge rules with a target of its ARN
// (AWSEvents.ListRuleNamesByTarget) and Scheduler schedules whose target it is
// (ListSchedules' summaries carry Target.Arn; at most SCHED_SCAN of them are
// looked at), each with its expression and next NEXT_FIRES fire times
// (Tutti.NextFireTimes, computed by the server as its scheduler does).
const NEXT_FIRES = 5;
const SCHED_SCAN = 1000;

function firesOf(arn) {
	const box = h('div', { 'data-testid': 'sm-schedules' }, h('p', { class: 'muted' }, 'Loading…'));
	(async () => {
		const rows = [];
		let token;
		do {
			const r = await api('AWSEvents.ListRuleNamesByTarget', { TargetArn: arn, ...(token ? { NextToken: token } : {}) });
			for (const name of r.RuleNames || []) {
				const rule = await api('AWSEvents.DescribeRule', { Name: name });
				if (!rule.ScheduleExpression) continue;
				rows.push({ kind: 'rule', name, href: `#/schedules/rules/${enc(name)}`, expr: rule.ScheduleExpression,
					tz: 'UTC', state: rule.State, ref: { RuleArn: rule.Arn } });
			}
			token = r.NextToken;
		} while (token);
		let seen = 0;
		token = undefined;
		do {
			const r = await api('TuttiScheduler.ListSchedules', { MaxResults: 100, ...(token ? { NextToken: token } : {}) });
			for (const sc of r.Schedules || []) {
				seen++;
				if (!sc.Target || sc.Target.Arn !== arn) continue;
				const g = await api('TuttiScheduler.GetSchedule', { Name: sc.Name, GroupName: sc.GroupName });
				rows.push({ kind: 'schedule', name: `${sc.GroupName}/${sc.Name}`,
					href: `#/schedules/groups/${enc(sc.GroupName)}/${enc(sc.Name)}`, expr: g.ScheduleExpression,
					tz: g.ScheduleExpressionTimezone || 'UTC', state: g.State, ref: { ScheduleArn: g.Arn } });
			}
			token = r.NextToken;
		} while (token && seen < SCHED_SCAN);
		for (const row of rows)
			row.next = (await api('Tutti.NextFireTimes', { ...row.ref, Count: NEXT_FIRES })).FireTimes || [];
		fill(box, rows.length ? table({
			columns: [
				{ title: 'Rule or schedule', render: r => h('span', {}, h('a', { href: r.href }, r.name), ' ',
					h('span', { class: 'muted' }, r.kind)) },
				{ title: 'Expression', render: r => h('span', {}, h('code', {}, r.expr), r.tz !== 'UTC' ? ` (${r.tz})` : '') },
				{ title: 'State', render: r => badge(r.state || 'ENABLED') },
				{ title: `Next ${NEXT_FIRES} fire times`, render: r => r.next.length
					? h('ul', { class: 'plain', 'data-testid': 'sm-next-fires' }, r.next.map(t => h('li', {}, time(t))))
					: h('span', { class: 'muted' }, 'none to come') },
			],
			rows,
		}) : h('p', { class: 'muted' }, 'No rule or schedule starts this state machine.',
			seen >= SCHED_SCAN ? ` (the first ${SCHED_SCAN} schedules were looked at)` : ''));
	})().catch(e => fill(box, errorBox(e)));
	return box;
}

// ---------------------------------------------------------------------------------------------
// The list

function listPage(params, main) {
	setTitle('State machines');
	main.append(
		h('div', { class: 'page-head' },
			h('div', { class: 'titles' }, h('h1', {}, 'State machines')),
			h('a', { class: 'button primary', href: '#/state-machines/new', 'data-testid': 'sm-create' }, '+ Create state machine')),
		pager({
			load: async token => {
				const r = await api('AWSStepFunctions.ListStateMachines', { maxResults: PAGE, nextToken: token });
				return { rows: r.stateMachines || [], nextToken: r.nextToken };
			},
			render: rows => h('div', { class: 'table-wrap' }, table({
				attrs: { 'data-testid': 'sm-list' },
				rows,
				empty: h('span', {}, 'No state machines yet. ', h('a', { href: '#/state-machines/new' }, 'Create one'), '.'),
				rowAttrs: m => ({ 'data-testid': 'sm-row', dataset: { name: m.name } }),
				columns: [
					{ title: 'Name', render: m => h('a', { href: machineHref(m.stateMachineArn) }, m.name) },
					{ title: 'Type', render: m => m.type || '—' },
					{ title: 'Created', render: m => time(m.creationDate) },
					{ title: 'Links', render: m => h('span', { class: 'row' },
						h('a', { href: `#/executions?machine=${enc(m.stateMachineArn)}`,
							'aria-label': `Executions of ${m.name}` }, 'Executions'),
						h('a', { href: machineHref(m.stateMachineArn) + '?start=1',
							'aria-label': `Start an execution of ${m.name}` }, 'Start')) },
				],
			})),
		}));
}

// ---------------------------------------------------------------------------------------------
// The editor: a <textarea> with line numbers, marks on the lines diagnostics point at.

function editor({ value = '', label, testid = 'sm-definition', id = 'sm-definition' }) {
	const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
	const ta = h('textarea', {
		id, class: 'code', 'data-testid': testid, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
		wrap: 'off', 'aria-label': label || 'Definition (Amazon States Language, JSON)',
		'aria-describedby': 'diagnostics',
	});
	ta.value = value;
	const el = h('div', { class: 'editor' }, gutter, ta);
	let lines = -1, marks = new Set(), marksKey = '';

	function renderGutter() {
		const n = countLines(ta.value);
		const key = [...marks].join(',');
		if (n === lines && key === marksKey) return;
		lines = n;
		marksKey = key;
		const parts = [];
		let run = '';
		for (let i = 1; i <= n; i++) {
			if (marks.has(i)) {
				if (run) parts.push(run), run = '';
				parts.push(h('span', { class: 'mark-line' }, `✗ ${i}\n`));
			} else run += i + '\n';
		}
		if (run) parts.push(run);
		fill(gutter, ...parts);
		gutter.scrollTop = ta.scrollTop;
	}
	ta.addEventListener('input', renderGutter);
	ta.addEventListener('scroll', () => { gutter.scrollTop = ta.scrollTop; });
	renderGutter();

	return {
		el, textarea: ta,
		setMarks(set) { marks = new Set(set); renderGutter(); },
		gotoLine(line) {
			const v = ta.value;
			let pos = 0;
			for (let l = 1; l < line; l++) {
				const nl = v.indexOf('\n', pos);
				if (nl < 0) { pos = v.length; break; }
				pos = nl + 1;
			}
			let end = v.indexOf('\n', pos);
			if (end < 0) end = v.length;
			ta.focus();
			ta.setSelectionRange(pos, end);
			const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
			ta.scrollTop = Math.max(0, (line - 4) * lh);
		},
		set(value) { ta.value = value; renderGutter(); },
	};
}

function countLines(s) {
	let n = 1;
	for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
	return n;
}

// The line of every JSON pointer in text ("/States/A/Next" → 12), by one scan of the text.
// Text that is not JSON gives what was seen up to the fault.
export function pointerLines(text) {
	const map = new Map();
	const stack = [];     // {arr, path, idx, expectKey, seen}
	let line = 1;
	map.set('', 1);
	const esc = k => k.replace(/~/g, '~0').replace(/\//g, '~1');
	const valueStart = () => {
		const top = stack[stack.length - 1];
		if (top && top.arr && !top.seen) {
			top.seen = true;
			const p = top.path + '/' + top.idx;
			if (!map.has(p)) map.set(p, line);
			return p;
		}
		if (top && !top.arr) return top.path + '/' + esc(top.key ?? '');
		return '';
	};
	for (let i = 0, n = text.length; i < n; i++) {
		const c = text[i];
		if (c === '\n') { line++; continue; }
		if (c === ' ' || c === '\t' || c === '\r' || c === ':') continue;
		const top = stack[stack.length - 1];
		if (c === '"') {
			let j = i + 1, s = '';
			for (; j < n && text[j] !== '"'; j++) {
				if (text[j] === '\\') { s += text[j + 1] === 'n' ? '\n' : text[j + 1]; j++; } else s += text[j];
				if (text[j] === '\n') line++;
			}
			if (top && !top.arr && top.expectKey) {
				top.key = s;
				top.expectKey = false;
				const p = top.path + '/' + esc(s);
				if (!map.has(p)) map.set(p, line);
			} else valueStart();
			i = j;
			continue;
		}
		if (c === '{' || c === '[') {
			const path = valueStart();
			stack.push({ arr: c === '[', path, idx: 0, expectKey: c === '{', seen: false, key: null });
			continue;
		}
		if (c === '}' || c === ']') { stack.pop(); continue; }
		if (c === ',') {
			if (top && top.arr) { top.idx++; top.seen = false; } else if (top) top.expectKey = true;
			continue;
		}
		valueStart();   // a number, true, false, null: skip the rest of the token
		while (i + 1 < n && /[^\s,\]}]/.test(text[i + 1])) i++;
	}
	return map;
}

// The line a diagnostic points at, or 0.
export function diagnosticLine(d, lines, text) {
	const m = /line (\d+)/i.exec(d.message || '');
	if (m) return Number(m[1]);
	if (d.location == null) return 0;
	let p = String(d.location).replace(/^#/, '');
	if (p && !p.startsWith('/')) p = '/' + p.replace(/\./g, '/');
	while (true) {
		if (lines.has(p)) return lines.get(p);
		const i = p.lastIndexOf('/');
		if (i < 0) return text ? 1 : 0;
		p = p.slice(0, i);
	}
}

// Validate-as-you-type: ValidateStateMachineDefinition 300 ms after the last key; the
// diagnostics listed (each a button that moves the cursor to its line), the lines marked.
// onValid(text) is called with each definition that validated OK.
function validator(ed, list, status, onValid) {
	let seq = 0;
	const run = async () => {
		const text = ed.textarea.value;
		const mine = ++seq;
		status.textContent = 'Validating…';
		let r;
		try {
			r = await api('AWSStepFunctions.ValidateStateMachineDefinition', { definition: text });
		} catch (e) {
			if (mine !== seq) return;
			status.textContent = '';
			fill(list, h('li', {}, errorBox(e)));
			return;
		}
		if (mine !== seq) return;
		const diags = r.diagnostics || [];
		const lines = diags.length ? pointerLines(text) : null;
		const marks = new Set();
		fill(list, ...diags.map(d => {
			const line = diagnosticLine(d, lines, text);
			if (line && String(d.severity || 'ERROR').toUpperCase() === 'ERROR') marks.add(line);
			return h('li', { class: String(d.severity || '').toLowerCase() === 'warning' ? 'warning' : 'error',
				'data-testid': 'diagnostic', dataset: { code: d.code, line: line || null } },
				h('span', { class: 'icon', 'aria-hidden': 'true' }, String(d.severity).toUpperCase() === 'WARNING' ? '⚠' : '✗'),
				h('strong', {}, d.severity || 'ERROR'),
				h('code', {}, d.code || ''),
				d.location ? h('code', { class: 'muted' }, d.location) : null,
				h('span', {}, d.message || ''),
				line ? h('button', { type: 'button', class: 'link small', on: { click: () => ed.gotoLine(line) } },
					`line ${line}`) : null);
		}));
		if (r.truncated) list.append(h('li', { class: 'warning' }, 'More problems than listed (the list was cut).'));
		ed.setMarks(marks);
		if (r.result === 'OK' && !diags.length) {
			fill(status, h('span', { class: 'badge status-succeeded' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓'), ' Valid'));
			onValid && onValid(text);
		} else if (r.result === 'OK') {
			fill(status, h('span', { class: 'badge status-caught' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'), ` Valid, ${diags.length} warning${diags.length === 1 ? '' : 's'}`));
			onValid && onValid(text);
		} else {
			const n = diags.filter(d => String(d.severity || 'ERROR').toUpperCase() === 'ERROR').length;
			fill(status, h('span', { class: 'badge status-failed' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗'), ` ${n} problem${n === 1 ? '' : 's'}`));
		}
	};
	const d = debounce(run, 300);
	ed.textarea.addEventListener('input', d);
	return { run, cancel: d.cancel };
}

// The graph box that follows the definition: shown once per valid definition.
function graphBox() {
	const box = h('div', { class: 'graph-holder' }, h('p', { class: 'muted' }, 'Drawing the graph…'));
	let shown = null, seq = 0;
	return {
		el: box,
		async show(body, key) {
			if (key != null && key === shown) return;
			const mine = ++seq;
			try {
				const svg = await graphSvg(body);
				if (mine !== seq) return;
				shown = key;
				fill(box, graphPanel(svg, { label: 'Graph' }));
			} catch (e) {
				if (mine !== seq) return;
				fill(box, errorBox(e));
			}
		},
	};
}

// ---------------------------------------------------------------------------------------------
// A machine's page

async function machinePage({ arn }, main, query) {
	setTitle(arnName(arn));
	main.append(h('p', { class: 'muted' }, 'Loading…'));
	let sm;
	try {
		sm = await api('AWSStepFunctions.DescribeStateMachine', { stateMachineArn: arn });
	} catch (e) {
		fill(main, h('p', { class: 'crumbs' }, h('a', { href: '#/state-machines' }, 'State machines')),
			h('h1', {}, arnName(arn)), errorBox(e));
		return;
	}
	setTitle(sm.name);
	let saved = sm.definition || '';

	// Start execution
	const input = h('textarea', { id: 'start-input', class: 'input', 'data-testid': 'start-input', spellcheck: 'false' });
	input.value = '{}';
	const inputHint = h('p', { class: 'note', id: 'start-input-hint', 'aria-live': 'polite' });
	input.setAttribute('aria-describedby', 'start-input-hint');
	input.addEventListener('input', debounce(() => {
		try { JSON.parse(input.value); inputHint.textContent = ''; } catch (e) { inputHint.textContent = `✗ Not valid JSON yet: ${e.message}`; }
	}, 250));
	const execName = h('input', { id: 'start-name', 'data-testid': 'start-name', placeholder: 'generated when empty', maxlength: 80 });
	const startOut = h('div', { 'aria-live': 'polite' });
	const startBtn = h('button', { type: 'submit', class: 'primary', 'data-testid': 'start-button' }, '▶ Start execution');
	const startForm = h('form', { class: 'card', 'aria-labelledby': 'start-title', on: { submit: async ev => {
		ev.preventDefault();
		startBtn.disabled = true;
		fill(startOut);
		try {
			const body = { stateMachineArn: sm.stateMachineArn, input: input.value };
			if (execName.value.trim()) body.name = execName.value.trim();
			const r = await api('AWSStepFunctions.StartExecution', body);
			navigate(`#/executions/${enc(r.executionArn)}`);
		} catch (e) {
			fill(startOut, errorBox(e));
		} finally {
			startBtn.disabled = false;
		}
	} } },
		h('h2', { id: 'start-title' }, 'Start an execution'),
		h('div', { class: 'field' }, h('label', { for: 'start-input' }, 'Input (JSON)'), input, inputHint),
		h('div', { class: 'field' }, h('label', { for: 'start-name' }, 'Name (optional)'), execName),
		h('div', { class: 'actions' }, startBtn),
		startOut);

	// Recent executions
	const recent = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
	let lastRecent = null;
	const loadRecent = async () => {
		try {
			const r = await api('Tutti.ListExecutions', { stateMachineArn: sm.stateMachineArn, maxResults: 20 });
			const rows = r.executions || [];
			const key = JSON.stringify(rows);
			if (key !== lastRecent) {
				lastRecent = key;
				fill(recent, execTable(rows, { testid: 'sm-executions', showMachine: false }));
			}
			return rows.some(x => x.status === 'RUNNING');
		} catch (e) {
			lastRecent = null;
			fill(recent, errorBox(e));
			return false;
		}
	};
	loadRecent();
	poll(loadRecent_poll(loadRecent), 1000);

	// Definition: editor + diagnostics + graph
	const ed = editor({ value: saved });
	const diags = h('ul', { class: 'diagnostics', id: 'diagnostics', 'data-testid': 'diagnostics', 'aria-live': 'polite' });
	const vstatus = h('span', { class: 'status-line', 'aria-live': 'polite' });
	const saveOut = h('div', { 'aria-live': 'polite' });
	const saveBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'sm-save', disabled: true }, 'Save');
	const revertBtn = h('button', { type: 'button', disabled: true }, 'Revert');
	const formatBtn = h('button', { type: 'button', title: 'Re-indent the JSON (2 spaces)' }, 'Format');
	const graph = graphBox();
	const changed = () => {
		const dirty = ed.textarea.value !== saved;
		saveBtn.disabled = !dirty;
		revertBtn.disabled = !dirty;
	};
	ed.textarea.addEventListener('input', changed);
	const valid = validator(ed, diags, vstatus, text => {
		graph.show(text === saved ? { stateMachineArn: sm.stateMachineArn } : { definition: text }, text);
	});
	saveBtn.addEventListener('click', async () => {
		saveBtn.disabled = true;
		fill(saveOut);
		const text = ed.textarea.value;
		try {
			await api('AWSStepFunctions.UpdateStateMachine', { stateMachineArn: sm.stateMachineArn, definition: text });
			saved = text;
			fill(saveOut, h('p', { class: 'ok-box', role: 'status' }, '✓ Saved.'));
		} catch (e) {
			fill(saveOut, errorBox(e));
		}
		changed();
	});
	revertBtn.addEventListener('click', () => {
		ed.set(saved);
		changed();
		valid.run();
	});
	formatBtn.addEventListener('click', () => {
		try {
			ed.set(JSON.stringify(JSON.parse(ed.textarea.value), null, 2));
			changed();
			valid.run();
		} catch (e) {
			fill(saveOut, errorBox({ type: 'JSON', message: e.message }));
		}
	});
	graph.show({ stateMachineArn: sm.stateMachineArn }, saved);
	valid.run();

	const delBtn = h('button', { type: 'button', class: 'danger', on: { click: async () => {
		if (!await confirmDialog(`Delete the state machine ${sm.name}? Its executions stay listed.`, 'Delete')) return;
		try {
			await api('AWSStepFunctions.DeleteStateMachine', { stateMachineArn: sm.stateMachineArn });
			navigate('#/state-machines');
		} catch (e) {
			fill(saveOut, errorBox(e));
		}
	} } }, 'Delete');

	const fires = firesOf(sm.stateMachineArn);

	fill(main,
		h('p', { class: 'crumbs' }, h('a', { href: '#/state-machines' }, 'State machines'), ' / '),
		h('div', { class: 'page-head' },
			h('div', { class: 'titles' },
				h('h1', {}, sm.name, h('span', { class: 'badge' }, sm.type || 'STANDARD'),
					sm.status && sm.status !== 'ACTIVE' ? badge(sm.status) : null),
				h('dl', { class: 'facts' },
					h('div', {}, h('dt', {}, 'ARN'), h('dd', {}, h('code', {}, sm.stateMachineArn))),
					h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(sm.creationDate))),
					sm.roleArn ? h('div', {}, h('dt', {}, 'Role'), h('dd', {}, h('code', {}, sm.roleArn))) : null,
					sm.revisionId ? h('div', {}, h('dt', {}, 'Revision'), h('dd', {}, h('code', {}, sm.revisionId))) : null)),
			h('div', { class: 'row' },
				h('a', { class: 'button', href: `#/executions?machine=${enc(sm.stateMachineArn)}` }, 'All executions'),
				delBtn)),
		h('div', { class: 'cols' },
			h('section', { 'aria-labelledby': 'graph-title' }, h('h2', { id: 'graph-title' }, 'Graph'), graph.el),
			h('section', { 'aria-labelledby': 'def-title' },
				h('div', { class: 'row' }, h('h2', { id: 'def-title' }, 'Definition'), h('span', { class: 'spacer' }), vstatus),
				ed.el, diags,
				h('div', { class: 'actions' }, formatBtn, revertBtn, saveBtn), saveOut)),
		h('div', { class: 'cols wide-right' },
			h('section', {}, startForm),
			h('section', { 'aria-labelledby': 'recent-title' },
				h('div', { class: 'row' }, h('h2', { id: 'recent-title' }, 'Recent executions'), h('span', { class: 'spacer' }),
					h('a', { href: `#/executions?machine=${enc(sm.stateMachineArn)}` }, 'All executions →')),
				recent)),
		h('section', { 'aria-labelledby': 'sched-title' },
			h('h2', { id: 'sched-title' }, 'Schedules and rules that start it'), fires));
	if (query.get('start')) { input.focus(); input.select(); }
	return valid.cancel;
}

// Poll the recent executions every second while one is running, else every 5 s (new ones).
function loadRecent_poll(load) {
	let n = 0, running = true;
	return async () => {
		n++;
		if (running || n % 5 === 0) running = await load();
	};
}

// ---------------------------------------------------------------------------------------------
// The create page

const TEMPLATE = `{
  "Comment": "A new state machine",
  "StartAt": "Hello",
  "States": {
    "Hello": {
      "Type": "Pass",
      "Result": {"hello": "world"},
      "End": true
    }
  }
}
`;

function createPage(params, main) {
	setTitle('Create state machine');
	const name = h('input', { id: 'sm-name', 'data-testid': 'sm-name', required: true, maxlength: 80,
		pattern: '[A-Za-z0-9_\\-]+', 'aria-describedby': 'sm-name-hint', autocomplete: 'off' });
	const type = h('select', { id: 'sm-type', 'data-testid': 'sm-type' },
		h('option', { value: 'STANDARD' }, 'STANDARD'), h('option', { value: 'EXPRESS' }, 'EXPRESS'));
	const ed = editor({ value: TEMPLATE });
	const diags = h('ul', { class: 'diagnostics', id: 'diagnostics', 'data-testid': 'diagnostics', 'aria-live': 'polite' });
	const vstatus = h('span', { class: 'status-line', 'aria-live': 'polite' });
	const out = h('div', { 'aria-live': 'polite' });
	const graph = graphBox();
	const valid = validator(ed, diags, vstatus, text => graph.show({ definition: text }, text));
	const create = h('button', { type: 'submit', class: 'primary', 'data-testid': 'sm-save' }, 'Create');
	const form = h('form', { on: { submit: async ev => {
		ev.preventDefault();
		create.disabled = true;
		fill(out);
		try {
			const r = await api('AWSStepFunctions.CreateStateMachine', {
				name: name.value.trim(), definition: ed.textarea.value, roleArn: ROLE, type: type.value,
			});
			navigate(machineHref(r.stateMachineArn));
		} catch (e) {
			fill(out, errorBox(e));
		} finally {
			create.disabled = false;
		}
	} } },
		h('div', { class: 'row' },
			h('div', { class: 'field' }, h('label', { for: 'sm-name' }, 'Name'), name,
				h('span', { class: 'note', id: 'sm-name-hint' }, 'Letters, digits, - and _; up to 80.')),
			h('div', { class: 'field' }, h('label', { for: 'sm-type' }, 'Type'), type)),
		h('div', { class: 'cols' },
			h('section', { 'aria-labelledby': 'def-title' },
				h('div', { class: 'row' }, h('h2', { id: 'def-title' }, 'Definition'), h('span', { class: 'spacer' }), vstatus),
				ed.el, diags),
			h('section', { 'aria-labelledby': 'graph-title' }, h('h2', { id: 'graph-title' }, 'Graph'), graph.el)),
		h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/state-machines' }, 'Cancel'), create),
		out);
	main.append(
		h('p', { class: 'crumbs' }, h('a', { href: '#/state-machines' }, 'State machines'), ' / '),
		h('h1', {}, 'Create a state machine'),
		form);
	valid.run();
	name.focus();
	return valid.cancel;
}

