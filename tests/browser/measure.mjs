// tests/browser/measure.mjs — the console's two timing measurements, used by
// console.test.mjs (one run each, with assertions) and bench/bench_console.sh
// (medians of runs):
//
//   execList: a full page load of CONSOLE#/executions; the figure is the time
//     from the navigation's start (performance.timeOrigin) to the first
//     animation frame after the executions table holds its first row (a
//     MutationObserver installed before any page script notes the moment the
//     first [data-testid=exec-row] is in the DOM, then waits one
//     requestAnimationFrame: the frame that paints it). Chromium's
//     first-contentful-paint is reported beside it (it is the header's
//     paint, before any data, so it is not the figure).
//   graph: a full page load of CONSOLE#/state-machines/<arn>; the time from
//     the navigation's start to the graph's <svg> in the DOM
//     ([data-testid=graph] svg), same observer.
//
// As a program (bench): node measure.mjs --console URL --endpoint URL
//   [--runs 5] [--executions 10000] [--states 1000] [--no-graph] prints
//   "console.first_paint_ms: N ms", "console.graph_1000_ms: N ms" and
//   "console.graph_1000_cached_ms: N ms", each run's figures below.
import { launch, aws, createMachine, startMany, bigMachine, median, missing } from './lib.mjs';

// Installed before any script of the page (Playwright's init scripts run before
// the page's own and are not subject to its CSP).
const OBSERVER = `(() => {
	const marks = window.__tuttiMarks = {};
	const watch = { execRow: '[data-testid=exec-list] [data-testid=exec-row]', graphSvg: '[data-testid=graph] svg' };
	const seen = () => {
		for (const [k, sel] of Object.entries(watch)) {
			if (k in marks || !document.querySelector(sel)) continue;
			marks[k] = performance.now();
			requestAnimationFrame(() => { marks[k + 'Frame'] = performance.now(); });
		}
	};
	new MutationObserver(seen).observe(document, { childList: true, subtree: true });
})();`;

async function timed(context, url, mark, { timeout = 120000 } = {}) {
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.addInitScript(OBSERVER);
	try {
		await page.goto(url);
		await page.waitForFunction((k) => window.__tuttiMarks && (k + 'Frame') in window.__tuttiMarks, mark,
			{ timeout, polling: 50 });
		const r = await page.evaluate((k) => ({
			dom: window.__tuttiMarks[k],
			frame: window.__tuttiMarks[k + 'Frame'],
			fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
		}), mark);
		return { ...r, page, errors };
	} catch (e) {
		await page.close();
		throw new Error(`${url}: ${e.message.split('\n')[0]}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
	}
}

// One load of the executions list. Resolves {ms, fcp, rows, page}; the caller closes page.
export async function execList(context, consoleUrl) {
	const r = await timed(context, consoleUrl + '#/executions', 'execRow');
	const rows = await r.page.locator('[data-testid=exec-list] [data-testid=exec-row]').count();
	return { ms: r.frame, dom: r.dom, fcp: r.fcp, rows, page: r.page, errors: r.errors };
}

// One load of a machine's page until its graph is in the DOM. Resolves {ms, states, page}.
export async function graph(context, consoleUrl, stateMachineArn) {
	const r = await timed(context, consoleUrl + '#/state-machines/' + encodeURIComponent(stateMachineArn), 'graphSvg');
	const states = await r.page.locator('[data-testid=graph] svg g.state').count();
	return { ms: r.dom, frame: r.frame, states, page: r.page, errors: r.errors };
}

// n executions of a Pass machine, all finished. Resolves the machine's ARN.
export async function seedExecutions(endpoint, n, name = 'bulk') {
	const arn = await createMachine(endpoint, name, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
	await startMany(endpoint, arn, n, { parallel: 16, prefix: 'bulk' });
	for (let i = 0; i < 600; i++) {
		const r = await aws(endpoint, 'Tutti.ListExecutions', { stateMachineArn: arn, maxResults: 1 });
		if ((r.counts?.RUNNING ?? 0) === 0 && (r.counts?.SUCCEEDED ?? 0) >= n) return arn;
		await new Promise((res) => setTimeout(res, 100));
	}
	throw new Error(`the ${n} seeded executions did not all succeed within 60 s`);
}

async function main() {
	const args = process.argv.slice(2);
	const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
	const consoleUrl = opt('--console'), endpoint = opt('--endpoint');
	const runs = Number(opt('--runs', '5')), nexec = Number(opt('--executions', '10000')), nstates = Number(opt('--states', '1000'));
	const withGraph = !args.includes('--no-graph');
	const why = missing();
	if (why) {
		console.log(`SKIP: console.first_paint_ms, console.graph_${nstates}_ms: ${why}`);
		return;
	}
	const t0 = Date.now();
	await seedExecutions(endpoint, nexec);
	const seedMs = Date.now() - t0;
	// One machine per graph load, each with its own state names: every load
	// is a layout the server has not cached (a user opening a machine for
	// the first time since the server started); then the last one again.
	const bigs = [];
	for (let i = 0; withGraph && i <= runs; i++)
		bigs.push(await createMachine(endpoint, `big${nstates}-${i}`, bigMachine(nstates, `R${i}S`)));
	const { context, close } = await launch();
	const f = (x) => Math.round(x);
	try {
		// One warm-up load each (Chromium's caches, the server's first Graphviz run), not counted.
		const lists = [], fcps = [];
		for (let i = 0; i <= runs; i++) {
			const l = await execList(context, consoleUrl);
			await l.page.close();
			if (l.rows > 100) throw new Error(`the executions list holds ${l.rows} rows`);
			if (i) { lists.push(l.ms); if (l.fcp != null) fcps.push(l.fcp); }
		}
		console.log(`console.first_paint_ms: ${f(median(lists))} ms`);
		console.log(`  (executions list over ${nexec} executions, navigation to the frame after its first row: ` +
			`${lists.map(f).join(', ')} ms; first-contentful-paint ${fcps.map(f).join(', ')} ms; seeding ${seedMs} ms)`);
		if (!withGraph) return;
		const graphs = [], cached = [];
		for (let i = 0; i <= runs; i++) {
			const g = await graph(context, consoleUrl, bigs[i]);
			await g.page.close();
			if (g.states !== nstates) throw new Error(`the graph has ${g.states} states, not ${nstates}`);
			if (i) graphs.push(g.ms);
		}
		for (let i = 0; i < runs; i++) {
			const g = await graph(context, consoleUrl, bigs[runs]);
			await g.page.close();
			cached.push(g.ms);
		}
		console.log(`console.graph_${nstates}_ms: ${f(median(graphs))} ms`);
		console.log(`  (navigation to the ${nstates}-state graph's SVG in the DOM, a layout not drawn before: ${graphs.map(f).join(', ')} ms)`);
		console.log(`console.graph_${nstates}_cached_ms: ${f(median(cached))} ms`);
		console.log(`  (the same machine's page again, its SVG cached by the server: ${cached.map(f).join(', ')} ms)`);
	} finally {
		await close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main().catch((e) => { console.log(`FAIL: console bench: ${e.message}`); process.exit(1); });
}
