// executions.js — the executions list (all or one machine's: status filter with counts, search
// by name, server pagination, live while any shown runs) and an execution's page (header, Stop
// and Redrive, the graph coloured by its states, the state inspector with a Map's iterations,
// the event history, input and output).
import {
	api, h, fill, time, duration, badge, errorBox, table, pager, poll, debounce, setTitle,
	jsonView, graphSvg, graphPanel, colorGraph, selectGraphState, confirmDialog, arnName,
} from './core.js';

const enc = encodeURIComponent;
const PAGE = 50;
const ITER_PAGE = 100;
const HISTORY_API_PAGE = 1000;   // events fetched per GetExecutionHistory call
const HISTORY_SHOWN = 100;       // rows shown at once
export const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const ITER_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED'];
const TERMINAL_REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
export const execHref = arn => `#/executions/${enc(arn)}`;
const machineHref = arn => `#/state-machines/${enc(arn)}`;

export function register(route) {
	route('#/executions', listPage);
	route('#/executions/:arn', execPage);
}

function elapsed(start, stop) {
	if (start == null) return null;
	const end = stop != null ? Number(stop) : Date.now() / 1000;
	return (end - Number(start)) * 1000;
}

// The executions table (also on a machine's page).
export function execTable(rows, { testid = 'exec-list', showMachine = true } = {}) {
	const cols = [
		{ title: 'Name', class: 'name', render: x => h('a', { href: execHref(x.executionArn) }, x.name || arnName(x.executionArn)) },
		{ title: 'Status', render: x => badge(x.status) },
	];
	if (showMachine)
		cols.push({ title: 'State machine', render: x => x.stateMachineArn
			? h('a', { href: machineHref(x.stateMachineArn) }, arnName(x.stateMachineArn)) : '—' });
	cols.push(
		{ title: 'Started', render: x => time(x.startDate) },
		{ title: 'Duration', class: 'num', render: x => x.status === 'RUNNING'
			? h('span', { class: 'muted' }, duration(elapsed(x.startDate)) + ' so far') : duration(elapsed(x.startDate, x.stopDate)) },
		{ title: 'Output / error', class: 'preview', render: x => x.error
			? h('span', { class: 'kv-error' }, x.error)
			: x.outputPreview != null ? h('code', {}, x.outputPreview) : h('span', { class: 'muted' }, '—') });
	return h('div', { class: 'table-wrap' }, table({
		attrs: { 'data-testid': testid },
		columns: cols, rows,
		empty: 'No executions.',
		rowAttrs: x => ({ 'data-testid': 'exec-row', dataset: { status: x.status, name: x.name } }),
	}));
}

// Buttons that filter by status, each with its count: aria-pressed on the chosen one.
function statusFilter(statuses, current, onPick, prefix = 'filter-') {
	const btns = new Map();
	const el = h('div', { class: 'filters', role: 'group', 'aria-label': 'Filter by status' });
	for (const s of ['ALL', ...statuses]) {
		const count = h('span', { class: 'count' });
		const b = h('button', { type: 'button', class: 'small', 'data-testid': prefix + s,
			'aria-pressed': String((current || 'ALL') === s),
			on: { click: () => {
				for (const [k, x] of btns) x.setAttribute('aria-pressed', String(k === s));
				onPick(s === 'ALL' ? '' : s);
			} } },
			s === 'ALL' ? 'All' : badgeInline(s), count);
		btns.set(s, b);
		el.append(b);
	}
	el.setCounts = counts => {
		if (!counts) return;
		let total = 0;
		for (const s of statuses) {
			const n = Number(counts[s] || 0);
			total += n;
			btns.get(s).querySelector('.count').textContent = ` ${n.toLocaleString()}`;
		}
		const all = counts.total != null ? Number(counts.total) : total;
		btns.get('ALL').querySelector('.count').textContent = ` ${all.toLocaleString()}`;
	};
	return el;
}

function badgeInline(s) {
	const b = badge(s);
	return [...b.childNodes];   // icon + text, without the pill (the button is the pill)
}

// ---------------------------------------------------------------------------------------------
// The list

function listPage(params, main, query) {
	const machine = query.get('machine') || '';
	let status = query.get('status') || '';
	let nameContains = query.get('q') || '';
	setTitle(machine ? `Executions of ${arnName(machine)}` : 'Executions');

	const keepUrl = () => {
		const q = new URLSearchParams();
		if (machine) q.set('machine', machine);
		if (status) q.set('status', status);
		if (nameContains) q.set('q', nameContains);
		const s = q.toString();
		history.replaceState(null, '', '#/executions' + (s ? '?' + s : ''));
	};
	let shown = [];
	const filters = statusFilter(STATUSES, status, s => { status = s; keepUrl(); list.first(); });
	const search = h('input', { type: 'search', id: 'exec-search', 'data-testid': 'search', value: nameContains,
		placeholder: 'Name contains…', 'aria-label': 'Search executions by name', autocomplete: 'off' });
	search.addEventListener('input', debounce(() => {
		const v = search.value.trim();
		if (v === nameContains) return;
		nameContains = v;
		keepUrl();
		list.first();
	}, 300));
	const list = pager({
		load: async token => {
			const body = { maxResults: PAGE, nextToken: token };
			if (machine) body.stateMachineArn = machine;
			if (status) body.statusFilter = status;
			if (nameContains) body.nameContains = nameContains;
			const r = await api('Tutti.ListExecutions', body);
			filters.setCounts(r.counts);
			shown = r.executions || [];
			return { rows: shown, nextToken: r.nextToken };
		},
		render: rows => execTable(rows, { showMachine: !machine }),
	});
	// Live: every second while a shown execution runs, else every 5 s (new executions).
	let tick = 0;
	poll(() => {
		tick++;
		if (shown.some(x => x.status === 'RUNNING') || tick % 5 === 0) return list.reload();
	}, 1000);

	main.append(...[
		machine ? h('p', { class: 'crumbs' }, h('a', { href: '#/state-machines' }, 'State machines'), ' / ',
			h('a', { href: machineHref(machine) }, arnName(machine)), ' / ') : null,
		h('div', { class: 'page-head' },
			h('div', { class: 'titles' }, h('h1', {}, machine ? `Executions of ${arnName(machine)}` : 'Executions')),
			machine ? h('a', { class: 'button primary', href: machineHref(machine) + '?start=1' }, '▶ Start execution') : null),
		h('div', { class: 'row' }, filters, h('span', { class: 'spacer' }), search),
		list].filter(Boolean));
}

// ---------------------------------------------------------------------------------------------
// An execution's page

// Every state's definition by name (Parallel branches and Map processors included).
function stateDefs(def, out = new Map()) {
	if (!def || typeof def !== 'object' || !def.States || typeof def.States !== 'object') return out;
	for (const [name, st] of Object.entries(def.States)) {
		if (!out.has(name)) out.set(name, st);
		if (!st || typeof st !== 'object') continue;
		if (Array.isArray(st.Branches)) for (const b of st.Branches) stateDefs(b, out);
		if (st.ItemProcessor) stateDefs(st.ItemProcessor, out);
		if (st.Iterator) stateDefs(st.Iterator, out);
	}
	return out;
}

async function execPage({ arn }, main, query) {
	setTitle(arnName(arn));
	main.append(h('p', { class: 'muted' }, 'Loading…'));
	let ex, states = {}, defText = null, statesError = null;
	const loadStates = () => api('Tutti.DescribeExecutionStates', { executionArn: arn }).then(
		r => { statesError = null; return r.states || {}; },
		e => { statesError = e; return states; });
	try {
		[ex, states] = await Promise.all([
			api('AWSStepFunctions.DescribeExecution', { executionArn: arn }),
			loadStates(),
		]);
	} catch (e) {
		fill(main, h('p', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / '),
			h('h1', {}, arnName(arn)), errorBox(e));
		return;
	}
	setTitle(`${ex.name} (${ex.status})`);

	const head = h('div', {});
	const actionOut = h('div', { 'aria-live': 'polite' });
	const graphHolder = h('div', {}, h('p', { class: 'muted' }, 'Drawing the graph…'));
	const graphNote = h('div', { 'aria-live': 'polite' });
	const panel = h('aside', { class: 'state-panel card', 'data-testid': 'state-panel', 'aria-labelledby': 'panel-title', hidden: true });
	const ioIn = h('section', { 'data-testid': 'exec-input', 'aria-labelledby': 'in-title' });
	const ioOut = h('section', { 'data-testid': 'exec-output', 'aria-labelledby': 'out-title' });
	let svg = null, defs = new Map(), selected = null, overlay = null;   // overlay: {map, index, states}
	let headKey = '', ioKey = '', pollStop = null;
	const layout = h('div', { class: 'exec-layout no-panel' });

	// ---- header
	function renderHead() {
		const key = JSON.stringify([ex.status, ex.stopDate, ex.error, ex.cause, ex.redriveCount, ex.redriveDate,
			ex.status === 'RUNNING' ? Math.floor(Date.now() / 1000) : 0]);   // "so far" ticks
		if (key === headKey) return;
		headKey = key;
		setTitle(`${ex.name} (${ex.status})`);
		const running = ex.status === 'RUNNING';
		fill(head,
			h('p', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / ',
				ex.stateMachineArn ? h('a', { href: `#/executions?machine=${enc(ex.stateMachineArn)}` }, arnName(ex.stateMachineArn)) : null,
				' / '),
			h('div', { class: 'page-head' },
				h('div', { class: 'titles' },
					h('h1', {}, ex.name, h('span', { 'data-testid': 'exec-status' }, badge(ex.status))),
					h('dl', { class: 'facts' },
						h('div', {}, h('dt', {}, 'State machine'), h('dd', {}, ex.stateMachineArn
							? h('a', { href: machineHref(ex.stateMachineArn) }, arnName(ex.stateMachineArn)) : '—')),
						h('div', {}, h('dt', {}, 'Started'), h('dd', {}, time(ex.startDate))),
						h('div', {}, h('dt', {}, 'Stopped'), h('dd', {}, time(ex.stopDate))),
						h('div', {}, h('dt', {}, 'Duration'), h('dd', {}, running
							? `${duration(elapsed(ex.startDate))} so far` : duration(elapsed(ex.startDate, ex.stopDate)))),
						ex.redriveCount ? h('div', {}, h('dt', {}, 'Redrives'), h('dd', {}, String(ex.redriveCount),
							ex.redriveDate ? [' (last ', time(ex.redriveDate), ')'] : null)) : null,
						h('div', {}, h('dt', {}, 'ARN'), h('dd', {}, h('code', {}, ex.executionArn))))),
				h('div', { class: 'row' },
					running ? h('button', { type: 'button', class: 'danger', 'data-testid': 'stop-button', on: { click: stop } }, '■ Stop') : null,
					TERMINAL_REDRIVABLE.has(ex.status)
						? h('button', { type: 'button', 'data-testid': 'redrive-button', on: { click: redrive } }, '⟳ Redrive') : null,
					ex.stateMachineArn ? h('a', { class: 'button', href: machineHref(ex.stateMachineArn) + '?start=1' }, 'New execution') : null)),
			ex.error || ex.cause ? h('div', { class: 'error-box', role: 'status' },
				h('strong', { class: 'error-type', 'data-testid': 'exec-error' }, ex.error || ''),
				ex.cause ? h('pre', { class: 'cause', 'data-testid': 'exec-cause' }, ex.cause) : null) : null);
	}

	async function stop() {
		if (!await confirmDialog(`Stop the execution ${ex.name}? It ends as ABORTED.`, 'Stop execution')) return;
		fill(actionOut);
		try {
			await api('AWSStepFunctions.StopExecution', { executionArn: arn });
			await refresh();
		} catch (e) { fill(actionOut, errorBox(e)); }
	}
	async function redrive() {
		if (!await confirmDialog(`Redrive the execution ${ex.name}? It restarts from the states that did not succeed.`,
			'Redrive', { danger: false })) return;
		fill(actionOut);
		try {
			await api('AWSStepFunctions.RedriveExecution', { executionArn: arn });
			await refresh();
			startPolling();
		} catch (e) { fill(actionOut, errorBox(e)); }
	}

	// ---- input / output
	function renderIO() {
		const key = JSON.stringify([ex.input, ex.output, ex.status]);
		if (key === ioKey) return;
		ioKey = key;
		fill(ioIn, h('h2', { id: 'in-title' }, 'Input'), jsonView(ex.input, { label: 'Execution input' }));
		fill(ioOut, h('h2', { id: 'out-title' }, 'Output'), ex.output != null
			? jsonView(ex.output, { label: 'Execution output' })
			: h('p', { class: 'muted' }, ex.status === 'RUNNING' ? 'Not yet: the execution runs.' : 'No output.'));
	}

	// ---- the graph
	// With an iteration shown, the Map's inner states are that iteration's (not reached when
	// absent from it), the others the execution's.
	const statesNote = h('div', { 'aria-live': 'polite' });
	const colour = () => {
		const key = statesError ? `${statesError.type}: ${statesError.message}` : '';
		if (statesNote.dataset.key !== key) {
			statesNote.dataset.key = key;
			fill(statesNote, statesError ? [h('p', { class: 'note' }, 'The states could not be read; the graph is not coloured:'),
				errorBox(statesError)] : null);
		}
		if (!svg) return;
		if (!overlay) return colorGraph(svg, states);
		const merged = { ...states };
		const def = defs.get(overlay.map);
		for (const n of stateDefs(def && (def.ItemProcessor || def.Iterator)).keys()) delete merged[n];
		colorGraph(svg, Object.assign(merged, overlay.states));
	};
	function showOverlay(o) {
		overlay = o;
		colour();
		fill(graphNote, o ? h('p', { class: 'note row' },
			`The graph shows iteration ${o.index} of ${o.map}.`,
			h('button', { type: 'button', class: 'small', on: { click: () => { showOverlay(null); syncUrl(); } } },
				'Show all iterations')) : '');
	}

	async function loadGraph() {
		try {
			let body = { stateMachineArn: ex.stateMachineArn };
			try {
				const d = await api('AWSStepFunctions.DescribeStateMachineForExecution', { executionArn: arn });
				if (d.definition) { body = { definition: d.definition }; defText = d.definition; }
			} catch { /* the machine's current definition */ }
			if (defText) try { defs = stateDefs(JSON.parse(defText)); } catch { /* shown as it is */ }
			svg = await graphSvg(body);
			colour();
			fill(graphHolder, graphPanel(svg, { label: 'Execution graph', onSelect: name => select(name, true) }));
			if (selected) selectGraphState(svg, selected);
		} catch (e) {
			fill(graphHolder, errorBox(e));
		}
	}

	// ---- the state panel
	let panelKey = '', iterBox = null;
	function select(name, focus) {
		if (selected !== name) { iterBox = null; showOverlay(null); }
		selected = name;
		panelKey = '';
		ioPanelKey = '';
		renderPanel();
		if (svg) selectGraphState(svg, name);
		syncUrl();
		if (focus) panel.querySelector('#panel-title')?.focus();
	}
	function close() {
		const was = selected;
		selected = null;
		iterBox = null;
		showOverlay(null);
		panel.hidden = true;
		delete panel.dataset.state;
		layout.classList.add('no-panel');
		fill(panel);
		if (svg) {
			selectGraphState(svg, null);
			const g = svg.__states && svg.__states.find(x => x.getAttribute('data-state') === was);
			if (g) g.focus();
		}
		syncUrl();
	}
	function syncUrl() {
		const q = new URLSearchParams();
		if (selected) q.set('state', selected);
		if (overlay) q.set('iteration', String(overlay.index));
		const s = q.toString();
		history.replaceState(null, '', execHref(arn) + (s ? '?' + s : ''));
	}

	// The panel: its facts, a Map's iterations and its input/output are three parts, each
	// rebuilt only when what it shows changed (a running Map's counts change every second; its
	// input, its iterations' pager and the focus in it stay).
	const pTop = h('div'), pIter = h('div'), pIO = h('div');
	let ioPanelKey = '';
	// Inputs and outputs over 8 KiB are not in the states' answer (inputTruncated /
	// outputTruncated): the panel asks for that one state's, whole, once per visit.
	const whole = new Map();
	function wholeData(name, st) {
		const key = JSON.stringify([name, st.enteredEventId, overlay ? overlay.index : null]);
		if (!whole.has(key)) {
			whole.set(key, null);
			const q = { executionArn: arn, stateName: name };
			if (overlay) { q.mapStateName = overlay.map; q.iteration = overlay.index; }
			api('Tutti.DescribeExecutionStates', q).then(
				(r) => { whole.set(key, (r.states || {})[name] || {}); renderPanel(); },
				(e) => { whole.set(key, { error: e }); renderPanel(); });
		}
		return whole.get(key);
	}
	function renderPanel() {
		if (!selected) return;
		const st = states[selected] || (overlay && overlay.states[selected]) || null;
		const def = defs.get(selected);
		let { input, output, ...rest } = st || {};
		let ioNote = null;
		if (st && (st.inputTruncated || st.outputTruncated)) {
			const w = wholeData(selected, st);
			if (!w) ioNote = h('p', { class: 'muted' }, 'Loading the whole input and output…');
			else if (w.error) ioNote = errorBox(w.error);
			else {
				if (st.inputTruncated) input = w.input;
				if (st.outputTruncated) output = w.output;
			}
		}
		const key = JSON.stringify([selected, rest, ex.status]);
		const ioK = JSON.stringify([selected, input, output, !!def, !!ioNote]);
		if (key === panelKey && ioK === ioPanelKey) return;
		const type = (st && st.type) || (def && def.Type) || '';
		const status = st ? st.status : 'NOT_REACHED';
		const isMap = type === 'Map' || (st && st.iterations);
		if (!panel.contains(pTop)) fill(panel, pTop, pIter, pIO);
		panel.hidden = false;
		panel.dataset.state = selected;
		layout.classList.remove('no-panel');
		if (key !== panelKey) {
			panelKey = key;
			fill(pTop,
				h('h2', { id: 'panel-title', tabindex: '-1' }, selected, badge(status),
					h('button', { type: 'button', class: 'small close', 'aria-label': `Close the panel of ${selected}`, on: { click: close } }, '✕')),
				h('dl', { class: 'facts' },
					h('div', {}, h('dt', {}, 'Type'), h('dd', {}, type || '—')),
					h('div', {}, h('dt', {}, 'Started'), h('dd', {}, time(st && st.startDate))),
					h('div', {}, h('dt', {}, 'Stopped'), h('dd', {}, time(st && st.stopDate))),
					h('div', {}, h('dt', {}, 'Duration'), h('dd', {}, st && st.startDate != null
						? (st.stopDate != null ? duration(elapsed(st.startDate, st.stopDate))
							: ex.status === 'RUNNING' ? `${duration(elapsed(st.startDate))} so far` : '—') : '—')),
					st && st.attempts != null ? h('div', {}, h('dt', {}, 'Attempts'), h('dd', {}, String(st.attempts))) : null,
					st && st.retries != null ? h('div', {}, h('dt', {}, 'Retries'), h('dd', {}, String(st.retries))) : null,
					st && st.visits > 1 ? h('div', {}, h('dt', {}, 'Visits'), h('dd', {}, st.visits.toLocaleString())) : null,
					st && st.enteredEventId != null ? h('div', {}, h('dt', {}, 'Events'), h('dd', {},
						`#${st.enteredEventId}`, st.exitedEventId != null ? ` – #${st.exitedEventId}` : '')) : null),
				!st ? h('p', { class: 'muted' }, 'Not reached in this execution.') : null,
				st && (st.error || st.cause) ? h('div', { class: 'error-box', role: 'status' },
					h('strong', { class: 'error-type', 'data-testid': 'state-error' }, st.error || ''),
					st.cause ? h('pre', { class: 'cause', 'data-testid': 'state-cause' }, st.cause) : null) : null);
			// A Map's iterations come before the (often long) input and output.
			if (isMap && st && !overlay) {
				if (!iterBox) iterBox = mapIterations(selected, st);
				else iterBox.update(st);
			}
			if (!isMap || !iterBox) fill(pIter);
			else if (!pIter.contains(iterBox.el)) fill(pIter, iterBox.el);
		}
		if (ioK !== ioPanelKey) {
			ioPanelKey = ioK;
			fill(pIO, ioNote,
				st && input !== undefined ? [h('h3', {}, 'Input'), jsonView(input, { label: `Input of ${selected}` })] : null,
				st && output !== undefined ? [h('h3', {}, 'Output'), jsonView(output, { label: `Output of ${selected}` })] : null,
				def ? h('details', {}, h('summary', {}, 'Definition of this state'), jsonView(def, { label: `Definition of ${selected}` })) : null);
		}
	}

	// A Map state's iterations: filter by status, pages of 100; choosing one shows its states.
	function mapIterations(mapName, st) {
		let status = '', rows = [];
		const filters = statusFilter(ITER_STATUSES, '', s => { status = s; list.first(); }, 'iter-filter-');
		const inner = h('div', { class: 'iteration-states', 'aria-live': 'polite' });
		const summary = h('p', { class: 'note' });
		const list = pager({
			load: async token => {
				const body = { executionArn: arn, mapStateName: mapName, maxResults: ITER_PAGE, nextToken: token };
				if (status) body.statusFilter = status;
				const r = await api('Tutti.ListMapIterations', body);
				rows = r.iterations || [];
				if (r.total != null && !st.iterations) summary.textContent = `${Number(r.total).toLocaleString()} iterations`;
				return { rows, nextToken: r.nextToken };
			},
			render: rs => h('div', { class: 'table-wrap' }, table({
				attrs: { 'data-testid': 'map-iterations' },
				rows: rs,
				empty: 'No iterations.',
				rowAttrs: it => ({ 'data-testid': 'map-iteration-row', dataset: { status: it.status, index: it.index },
					class: overlay && overlay.index === it.index ? 'selected' : null }),
				columns: [
					{ title: '#', class: 'num', render: it => String(it.index) },
					{ title: 'Status', render: it => badge(it.status) },
					{ title: 'Duration', class: 'num', render: it => duration(elapsed(it.startDate, it.stopDate ?? (it.status === 'RUNNING' ? null : it.startDate))) },
					{ title: 'Error', class: 'wrap', render: it => it.error ? h('span', { class: 'kv-error', title: it.cause || '' }, it.error) : '' },
					{ title: '', render: it => h('button', { type: 'button', class: 'small',
						'aria-label': `Show the states of iteration ${it.index}`,
						on: { click: () => showIteration(it.index, it.status) } }, 'States') },
				],
			})),
		});
		async function showIteration(index, itStatus) {
			fill(inner, h('p', { class: 'muted' }, `Loading iteration ${index}…`));
			try {
				const r = await api('Tutti.DescribeExecutionStates', { executionArn: arn, mapStateName: mapName, iteration: index });
				const its = r.states || {};
				showOverlay({ map: mapName, index, states: its });
				syncUrl();
				for (const tr of el.querySelectorAll('[data-testid=map-iteration-row]'))
					tr.classList.toggle('selected', Number(tr.dataset.index) === index);
				fill(inner,
					h('h3', { tabindex: '-1', id: 'iter-title' }, `Iteration ${index}`, ' ', itStatus ? badge(itStatus) : null),
					h('div', { class: 'table-wrap' }, table({
						attrs: { 'data-testid': 'iteration-states' },
						rows: Object.entries(its).sort((a, b) => (a[1].enteredEventId ?? 0) - (b[1].enteredEventId ?? 0)),
						empty: 'No states ran in this iteration yet.',
						columns: [
							{ title: 'State', render: ([n]) => n },
							{ title: 'Status', render: ([, s]) => badge(s.status) },
							{ title: 'Duration', class: 'num', render: ([, s]) => duration(elapsed(s.startDate, s.stopDate)) },
							{ title: 'Details', class: 'wrap', render: ([n, s]) => lazyDetails(
								s.error ? `✗ ${s.error}` : 'Input / output',
								() => [
									s.error || s.cause ? h('div', { class: 'error-box' }, h('strong', {}, s.error || ''),
										s.cause ? h('pre', { class: 'cause' }, s.cause) : null) : null,
									h('h4', {}, 'Input'), jsonView(s.input, { label: `Input of ${n}` }),
									h('h4', {}, 'Output'), jsonView(s.output, { label: `Output of ${n}` })]) },
						],
					})));
				inner.querySelector('#iter-title').focus();
			} catch (e) {
				fill(inner, errorBox(e));
			}
		}
		const el = h('section', { 'aria-labelledby': 'iter-title-h' },
			h('h3', { id: 'iter-title-h' }, 'Iterations'), summary, filters, list, inner);
		const update = s => {
			st = s;
			if (s.iterations) {
				const it = s.iterations;
				filters.setCounts({ ...it, total: it.total });
				summary.textContent = `${Number(it.total || 0).toLocaleString()} iterations`;
			}
			if (rows.some(r => r.status === 'RUNNING') || (s.status === 'RUNNING' && !rows.length)) list.reload();
		};
		update(st);
		const initial = Number(query.get('iteration'));
		if (query.get('iteration') != null && Number.isInteger(initial) && mapName === query.get('state')) {
			query.delete('iteration');
			showIteration(initial);
		}
		return { el, update, show: showIteration };
	}

	// ---- the event history: 1000 events a call, 100 shown at once
	const newestFirst = h('input', { type: 'checkbox', id: 'hist-reverse' });
	const histCache = new Map();   // API token → {events, nextToken}
	const fetchHistory = async apiToken => {
		const k = apiToken || '';
		if (!histCache.has(k)) {
			const r = await api('AWSStepFunctions.GetExecutionHistory', { executionArn: arn, maxResults: HISTORY_API_PAGE,
				nextToken: apiToken, reverseOrder: newestFirst.checked, includeExecutionData: true });
			histCache.set(k, { events: r.events || [], nextToken: r.nextToken });
		}
		return histCache.get(k);
	};
	const histPager = pager({
		load: async tok => {
			const t = tok || { api: undefined, at: 0 };
			const page = await fetchHistory(t.api);
			const rows = page.events.slice(t.at, t.at + HISTORY_SHOWN);
			const next = t.at + HISTORY_SHOWN < page.events.length ? { api: t.api, at: t.at + HISTORY_SHOWN }
				: page.nextToken ? { api: page.nextToken, at: 0 } : null;
			return { rows, nextToken: next };
		},
		render: rows => historyTable(rows, ex.startDate),
	});
	const historyReload = () => { histCache.clear(); return histPager.reload(); };
	newestFirst.addEventListener('change', () => { histCache.clear(); histPager.first(); });

	// ---- refresh and poll
	async function refresh() {
		const [e2, s2] = await Promise.all([
			api('AWSStepFunctions.DescribeExecution', { executionArn: arn }),
			loadStates(),
		]);
		ex = e2;
		states = s2;
		renderHead();
		renderIO();
		colour();
		renderPanel();
		if (iterBox && selected && states[selected]) iterBox.update(states[selected]);
	}
	function startPolling() {
		if (pollStop) return;
		let n = 0;
		pollStop = poll(async () => {
			n++;
			try { await refresh(); } catch (e) { fill(actionOut, errorBox(e)); return; }
			if (n % 2 === 0 || ex.status !== 'RUNNING') await historyReload();
			if (ex.status !== 'RUNNING') { pollStop = null; return false; }
		}, 1000);
	}

	renderHead();
	renderIO();
	fill(main,
		head, actionOut,
		fill(layout,
			h('section', { 'aria-labelledby': 'graph-title' },
				h('div', { class: 'row' }, h('h2', { id: 'graph-title' }, 'Graph'), h('span', { class: 'spacer' }),
					h('span', { class: 'legend note', 'aria-hidden': 'true' },
						badge('SUCCEEDED'), ' ', badge('FAILED'), ' ', badge('CAUGHT'), ' ', badge('RUNNING'), ' ', badge('NOT_REACHED'))),
				h('p', { class: 'note' }, 'Choose a state (click, or Tab to it and press Enter) to inspect it.'),
				statesNote, graphNote, graphHolder),
			panel),
		h('div', { class: 'cols' }, ioIn, ioOut),
		h('section', { 'aria-labelledby': 'hist-title' },
			h('div', { class: 'row' }, h('h2', { id: 'hist-title' }, 'Event history'), h('span', { class: 'spacer' }),
				h('label', { for: 'hist-reverse', class: 'row' }, newestFirst, 'Newest first'),
				h('button', { type: 'button', class: 'small', on: { click: historyReload } }, 'Refresh')),
			histPager));
	loadGraph();
	if (query.get('state')) select(query.get('state'), false);
	if (ex.status === 'RUNNING') startPolling();
}

// <details> whose body is built the first time it opens (a table of 100 rows stays light).
function lazyDetails(summary, build) {
	const d = h('details', { class: 'event' }, h('summary', {}, summary));
	d.addEventListener('toggle', () => {
		if (d.open && d.childNodes.length === 1) d.append(...[build()].flat(2).filter(Boolean));
	});
	return d;
}

function eventDetails(ev) {
	for (const [k, v] of Object.entries(ev)) if (k.endsWith('EventDetails') && v && typeof v === 'object') return v;
	return null;
}

function historyTable(rows, start) {
	return h('div', { class: 'table-wrap' }, table({
		attrs: { 'data-testid': 'history-table' },
		rows,
		empty: 'No events.',
		rowAttrs: ev => ({ 'data-testid': 'history-row', dataset: { type: ev.type, id: ev.id } }),
		columns: [
			{ title: 'ID', class: 'num', render: ev => String(ev.id) },
			{ title: 'Type', render: ev => /Failed|TimedOut|Aborted/.test(ev.type)
				? h('span', { class: 'kv-error' }, h('span', { 'aria-hidden': 'true' }, '✗ '), ev.type) : ev.type },
			{ title: 'State', class: 'wrap', render: ev => {
				const d = eventDetails(ev);
				const name = d && (d.name != null ? d.name : d.state);   /* EvaluationFailed: state */
				return name != null ? String(name) + (d.index != null ? ` [${d.index}]` : '') : '';
			} },
			{ title: 'Time', render: ev => h('span', {}, time(ev.timestamp),
				start != null && ev.timestamp != null ? h('span', { class: 'muted' }, ` +${duration((ev.timestamp - start) * 1000)}`) : null) },
			{ title: 'Details', class: 'wrap', render: ev => {
				const d = eventDetails(ev);
				if (!d) return '';
				const label = d.error ? `✗ ${d.error}` : 'Show';
				return lazyDetails(label, () => jsonView(d, { label: `Details of event ${ev.id}` }));
			} },
		],
	}));
}
