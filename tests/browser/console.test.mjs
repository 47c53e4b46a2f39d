// tests/browser/console.test.mjs — the console in headless Chromium against a
// real `tutti serve` (started by tests/e2e/console_browser.sh, which also
// creates the functions and layers this needs). Asserts on the DOM through
// the data-testid hooks listed at the top of console/web/core.js, never on
// pixels; each scenario saves build/screenshots/NAME.png.
//
// Environment: CONSOLE_URL (http://127.0.0.1:PORT/console/), TUTTI_ENDPOINT
// (the API), SHOTS (screenshot directory), TUTTI_TOP (the repository),
// TODOS_URL (optional: the todos API for examples/daily-todos),
// CONSOLE_ONLY (optional: a comma-separated list of scenarios to run),
// AUTH_CONSOLE_URL, AUTH_KEY_ID, AUTH_SECRET (optional: a server that wants
// SigV4, and its key).
// Prints PASS/FAIL per scenario; exit 1 when one failed.
//
// Scenarios: open, create-machine, execution-live, failing-state, map-1000,
// keyboard, functions, schedules, daily-todos, api-errors, auth,
// executions-10000, graph-1000 (the last two: tests/browser/measure.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { launch, aws, createMachine, waitExecution, bigMachine, recorder, assert, missing } from './lib.mjs';
import { execList, graph, seedExecutions } from './measure.mjs';

const CONSOLE = process.env.CONSOLE_URL;
const E = process.env.TUTTI_ENDPOINT;
const TOP = process.env.TUTTI_TOP || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHOTS = process.env.SHOTS || path.join(TOP, 'build/screenshots');
const ONLY = process.env.CONSOLE_ONLY ? new Set(process.env.CONSOLE_ONLY.split(',')) : null;
const N_EXEC = Number(process.env.CONSOLE_EXECUTIONS || 10000);
const N_STATES = Number(process.env.CONSOLE_STATES || 1000);
const N_ITEMS = 1000;
// Generous bounds: they catch a page that renders every row or lays out in
// the browser, not a slow machine (the figures are printed either way).
const LIST_PAINT_MAX_MS = 5000;
const GRAPH_MAX_MS = 60000;

if (!CONSOLE || !E) {
	console.log('FAIL: CONSOLE_URL and TUTTI_ENDPOINT must be set (tests/e2e/console_browser.sh sets them)');
	process.exit(1);
}
{
	const why = missing();
	if (why) { console.log(`SKIP: ${why}`); process.exit(77); }
}

const enc = encodeURIComponent;
const R = recorder(SHOTS);
const { context, close } = await launch();
// A failure outside the scenarios (the fixtures): say so, exit 1.
process.on('unhandledRejection', (e) => { console.log(`FAIL  setup: ${e && e.stack || e}`); process.exit(1); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A page that records uncaught errors and CSP refusals: a scenario fails on any.
async function newPage() {
	const page = await context.newPage();
	page.problems = [];
	page.on('pageerror', (e) => page.problems.push(`uncaught: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
	});
	return page;
}
async function done(page, shot, full = false) {
	if (shot) await R.shot(page, shot, full);
	const p = page.problems;
	await page.close();
	assert(!p.length, p.join('; '));
}
const hashOf = (page) => new URL(page.url()).hash;
async function text(page, sel) { return (await page.locator(sel).first().innerText()).trim(); }

async function scenario(name, fn) {
	if (ONLY && !ONLY.has(name)) return;
	await R.check(name, fn);
}

// ---- fixtures made through the API --------------------------------------------------------

const def = (o) => JSON.stringify(o, null, 2);
const slowArn = await createMachine(E, 'slowpoke', {
	Comment: 'waits three seconds', StartAt: 'Prepare',
	States: { Prepare: { Type: 'Pass', Result: { ok: true }, Next: 'Wait' },
		Wait: { Type: 'Wait', Seconds: 3, Next: 'Finish' }, Finish: { Type: 'Pass', End: true } } });
const failTaskArn = await createMachine(E, 'failing-task', {
	StartAt: 'Prepare', States: {
		Prepare: { Type: 'Pass', Next: 'CallFail' },
		CallFail: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
			Parameters: { FunctionName: 'fail', 'Payload.$': '$' }, End: true } } });
const failStateArn = await createMachine(E, 'failing-state', {
	StartAt: 'Check', States: {
		Check: { Type: 'Pass', Next: 'Broken' },
		Broken: { Type: 'Fail', Error: 'Widget.Broken', Cause: 'the widget is broken beyond repair' } } });
const mapArn = await createMachine(E, 'map-1000', {
	StartAt: 'Each', States: { Each: { Type: 'Map', ItemsPath: '$.items', ToleratedFailurePercentage: 100, MaxConcurrency: 0,
		ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Check', States: {
			Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', BooleanEquals: true, Next: 'Bad' }], Default: 'Good' },
			Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'this item is bad' },
			Good: { Type: 'Pass', End: true } } }, End: true } } });
const tickArn = await createMachine(E, 'tick', { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { tick: true }, End: true } } });

// Schedules made now, checked later: an at() schedule 5 s ahead, a rate() one, a cron rule.
const atTime = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000).toISOString().slice(0, 19);
const soon = await aws(E, 'TuttiScheduler.CreateSchedule', { Name: 'soon', ScheduleExpression: `at(${atTime})`,
	FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: tickArn, RoleArn: 'arn:aws:iam::000000000000:role/tutti', Input: '{"from": "soon"}' } });
await aws(E, 'TuttiScheduler.CreateSchedule', { Name: 'every-5-minutes', ScheduleExpression: 'rate(5 minutes)',
	FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: tickArn, RoleArn: 'arn:aws:iam::000000000000:role/tutti' } });
await aws(E, 'TuttiScheduler.CreateSchedule', { Name: 'weekday-mornings', ScheduleExpression: 'cron(30 8 ? * MON-FRI *)',
	ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: { Mode: 'OFF' },
	Target: { Arn: tickArn, RoleArn: 'arn:aws:iam::000000000000:role/tutti' } });
await aws(E, 'AWSEvents.PutRule', { Name: 'daily-noon', ScheduleExpression: 'cron(0 12 * * ? *)' });
await aws(E, 'AWSEvents.PutTargets', { Rule: 'daily-noon', Targets: [{ Id: 'tick', Arn: tickArn }] });

// ---- scenarios ------------------------------------------------------------------------------

await scenario('open', async () => {
	const r = await fetch(CONSOLE.replace(/\/$/, ''), { redirect: 'manual' });
	assert(r.status >= 300 && r.status < 400 && /\/console\/$/.test(r.headers.get('location') || ''),
		`/console answered ${r.status} ${r.headers.get('location')}, expected a redirect to /console/`);
	const page = await newPage();
	const res = await page.goto(CONSOLE);
	const csp = res.headers()['content-security-policy'] || '';
	assert(/script-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp), `CSP header: '${csp}'`);
	await page.waitForSelector('[data-testid=sm-list]');
	assert(hashOf(page) === '#/state-machines', `default route ${hashOf(page)}`);
	const nav = await page.locator('header nav a').allInnerTexts();
	for (const want of ['State machines', 'Executions', 'Functions', 'Layers', 'Schedules'])
		assert(nav.some((t) => t.includes(want)), `nav lacks ${want}: ${nav}`);
	await page.waitForSelector('[data-testid=sm-row][data-name=slowpoke]');
	const banner = (await page.locator('#banner').innerText()).trim();
	assert(!banner, `banner: ${banner}`);
	await done(page, 'console-state-machines');
	return `nav ${nav.length} links, machines listed`;
});

await scenario('create-machine', async () => {
	const page = await newPage();
	await page.goto(CONSOLE + '#/state-machines/new');
	await page.fill('[data-testid=sm-name]', 'made-in-the-browser');
	const ta = page.locator('[data-testid=sm-definition]');
	// Typed, key by key: a definition whose StartAt names no state.
	await ta.fill('');
	await ta.pressSequentially('{"StartAt": "Nowhere", "States": {"Here": {"Type": "Pass", "End": true}}}', { delay: 5 });
	await page.waitForSelector('[data-testid=diagnostic]');
	const diag = await page.locator('[data-testid=diagnostic]').allInnerTexts();
	assert(diag.some((d) => /Nowhere/.test(d)), `diagnostics do not name the missing state: ${diag}`);
	await R.shot(page, 'console-editor-diagnostics');
	const good = def({ Comment: 'made in the browser', StartAt: 'Greet', States: {
		Greet: { Type: 'Pass', Result: { hello: 'world' }, Next: 'Done' }, Done: { Type: 'Succeed' } } });
	await ta.fill(good);
	await page.waitForFunction(() => !document.querySelector('[data-testid=diagnostic]'));
	await page.waitForSelector('[data-testid=graph] svg g.state[data-state=Greet]');
	await page.click('[data-testid=sm-save]');
	await page.waitForFunction(() => /^#\/state-machines\/arn/.test(location.hash));
	const arn = decodeURIComponent(hashOf(page).slice('#/state-machines/'.length));
	const d = await aws(E, 'AWSStepFunctions.DescribeStateMachine', { stateMachineArn: arn });
	assert(d.name === 'made-in-the-browser' && JSON.parse(d.definition).StartAt === 'Greet', `created: ${JSON.stringify(d).slice(0, 200)}`);
	await page.waitForSelector('[data-testid=graph] svg g.state[data-state=Done]');
	await done(page, 'console-machine');
	return `diagnostic "${diag[0].replace(/\s+/g, ' ').slice(0, 80)}", then created ${arn}`;
});

await scenario('execution-live', async () => {
	const page = await newPage();
	await page.goto(CONSOLE + '#/state-machines/' + enc(slowArn));
	await page.fill('[data-testid=start-input]', '{"from": "the browser"}');
	await page.fill('[data-testid=start-name]', 'live-1');
	await page.click('[data-testid=start-button]');
	await page.waitForFunction(() => /^#\/executions\/arn/.test(location.hash));
	await page.waitForSelector('[data-testid=exec-status]');
	const first = await text(page, '[data-testid=exec-status]');
	assert(/RUNNING/.test(first), `the execution page opened on ${first}, expected RUNNING (the machine waits 3 s)`);
	await page.evaluate(() => { window.__sameDocument = true; });
	await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid=exec-status]')?.textContent || ''),
		null, { timeout: 15000 });
	assert(await page.evaluate(() => window.__sameDocument === true), 'the page was reloaded to show the end');
	await page.waitForSelector('[data-testid=graph] g.state[data-state=Finish].status-succeeded');
	const arn = decodeURIComponent(hashOf(page).slice('#/executions/'.length));
	const d = await aws(E, 'AWSStepFunctions.DescribeExecution', { executionArn: arn });
	assert(d.status === 'SUCCEEDED' && /the browser/.test(d.input), `DescribeExecution: ${d.status} ${d.input}`);
	await done(page, 'console-execution');
	return 'RUNNING, then SUCCEEDED on the same page; Finish coloured succeeded';
});

// Opens a state of an execution by clicking it in the graph; returns the panel's texts.
async function openState(page, state) {
	await page.locator(`[data-testid=graph] g.state[data-state="${state}"]`).click();
	await page.waitForSelector(`[data-testid=state-panel][data-state="${state}"]`);
	return page.locator('[data-testid=state-panel]');
}

await scenario('failing-state', async () => {
	const x1 = await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: failTaskArn, name: 'fails-1', input: '{"n": 1}' });
	const x2 = await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: failStateArn, name: 'fails-2', input: '{}' });
	const d1 = await waitExecution(E, x1.executionArn);
	await waitExecution(E, x2.executionArn);
	const page = await newPage();
	// A Task whose function fails.
	await page.goto(CONSOLE + '#/executions/' + enc(x1.executionArn));
	await page.waitForSelector('[data-testid=exec-status]');
	assert(/FAILED/.test(await text(page, '[data-testid=exec-status]')), 'status is not FAILED');
	await page.waitForSelector('[data-testid=graph] g.state[data-state=CallFail].status-failed');
	let panel = await openState(page, 'CallFail');
	const err1 = (await panel.locator('[data-testid=state-error]').innerText()).trim();
	const cause1 = (await panel.locator('[data-testid=state-cause]').innerText()).trim();
	assert(err1.includes(d1.error), `state-error '${err1}', the execution's error is '${d1.error}'`);
	assert(/fail function called/.test(cause1), `state-cause '${cause1}'`);
	await R.shot(page, 'console-failed-task');
	// A Fail state.
	await page.goto(CONSOLE + '#/executions/' + enc(x2.executionArn));
	await page.waitForSelector('[data-testid=graph] g.state[data-state=Broken].status-failed');
	panel = await openState(page, 'Broken');
	const err2 = (await panel.locator('[data-testid=state-error]').innerText()).trim();
	const cause2 = (await panel.locator('[data-testid=state-cause]').innerText()).trim();
	assert(err2.includes('Widget.Broken'), `state-error '${err2}'`);
	assert(cause2.includes('the widget is broken beyond repair'), `state-cause '${cause2}'`);
	await done(page, 'console-failed-state');
	return `${err1} / ${cause1.slice(0, 40)}; ${err2}`;
});

await scenario('map-1000', async () => {
	const items = Array.from({ length: N_ITEMS }, (_, i) => ({ i, bad: i % 20 === 0 }));
	const nbad = items.filter((x) => x.bad).length;
	const x = await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: mapArn, name: 'map-1', input: JSON.stringify({ items }) });
	const d = await waitExecution(E, x.executionArn, { timeoutMs: 120000 });
	assert(d.status === 'SUCCEEDED', `the Map execution ended ${d.status} ${d.error || ''}`);
	const page = await newPage();
	await page.goto(CONSOLE + '#/executions/' + enc(x.executionArn));
	await page.waitForSelector('[data-testid=graph] g.state[data-state=Each]');
	const panel = await openState(page, 'Each');
	const rows = panel.locator('[data-testid=map-iteration-row]');
	await panel.locator('[data-testid=map-iterations]').waitFor();
	await rows.first().waitFor();
	const n1 = await rows.count();
	assert(n1 > 0 && n1 <= 100, `first page of iterations: ${n1} rows`);
	const firstIdx = await rows.first().getAttribute('data-index');
	// Next page.
	const next = panel.locator('[data-testid=pager-next]');
	assert(await next.isEnabled(), 'no next page of iterations');
	await next.click();
	await page.waitForFunction((idx) => {
		const r = document.querySelector('[data-testid=state-panel] [data-testid=map-iteration-row]');
		return r && r.getAttribute('data-index') !== idx;
	}, firstIdx);
	const secondIdx = await rows.first().getAttribute('data-index');
	assert(await rows.count() <= 100, 'second page over 100 rows');
	const iterTop = () => panel.locator('[data-testid=map-iterations]').evaluate((el) => (el.closest('section') || el).scrollIntoView({ block: 'start' }));
	await iterTop();
	await R.shot(page, 'console-map-iterations');
	// Filter: FAILED.
	await panel.locator('[data-testid=iter-filter-FAILED]').click();
	await page.waitForFunction(() => {
		const rs = [...document.querySelectorAll('[data-testid=state-panel] [data-testid=map-iteration-row]')];
		return rs.length && rs.every((r) => r.dataset.status === 'FAILED');
	});
	const failed = await rows.count();
	assert(failed === nbad, `FAILED filter: ${failed} rows, ${nbad} items failed`);
	const idxs = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.index)));
	assert(idxs.every((i) => i % 20 === 0), `a non-failing iteration under FAILED: ${idxs.filter((i) => i % 20)}`);
	// A failed iteration's own states: Check then Bad, Bad failed with Item.Bad.
	await rows.nth(1).locator('button').first().click();
	const inner = panel.locator('[data-testid=iteration-states]');
	await inner.waitFor();
	const innerText = await inner.innerText();
	assert(/Check/.test(innerText) && /Bad[\s\S]*FAILED/.test(innerText) && /Item\.Bad/.test(innerText) && !/Good/.test(innerText),
		`iteration ${idxs[1]}'s states: ${innerText.replace(/\s+/g, ' ')}`);
	await iterTop();
	await done(page, 'console-map-failed');
	return `${n1} rows per page (first ${firstIdx}, next page starts at ${secondIdx}), FAILED filter: ${failed} of ${N_ITEMS}`;
});

await scenario('keyboard', async () => {
	const page = await newPage();
	const x = await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: failTaskArn, name: 'keyboard-1', input: '{}' });
	const arn = x.executionArn;
	await waitExecution(E, arn);
	await page.goto(CONSOLE + '#/executions/' + enc(arn));
	await page.waitForSelector('[data-testid=graph] g.state');
	// Tab from the top of the page until a state of the graph has the focus.
	await page.evaluate(() => document.activeElement && document.activeElement.blur());
	let state = null, presses = 0;
	for (; presses < 300 && !state; presses++) {
		await page.keyboard.press('Tab');
		state = await page.evaluate(() => {
			const a = document.activeElement;
			return a && a.matches && a.matches('[data-testid=graph] g.state') ? a.getAttribute('data-state') : null;
		});
	}
	assert(state, `no state of the graph took the focus in ${presses} Tab presses`);
	const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
	assert(label && label.startsWith(state), `aria-label '${label}'`);
	await page.keyboard.press('Enter');
	await page.waitForSelector(`[data-testid=state-panel][data-state="${state}"]`);
	await done(page, 'console-keyboard');
	return `${presses} Tab presses to "${label}", Enter opened its panel`;
});

await scenario('functions', async () => {
	const page = await newPage();
	await page.goto(CONSOLE + '#/functions');
	await page.waitForSelector('[data-testid=fn-row][data-name=hello]');
	await page.click('[data-testid=fn-row][data-name=hello] a');
	await page.waitForSelector('[data-testid=fn-config] [data-testid=fn-env]');
	const config = await text(page, '[data-testid=fn-config]');
	assert(/GREETING/.test(config) && /Bonjour/.test(config), 'the environment is not shown');
	assert(/jansson/.test(config), 'the layer is not shown');
	await page.fill('[data-testid=fn-payload]', '{"name": "Ada"}');
	await page.click('[data-testid=fn-invoke]');
	await page.waitForSelector('[data-testid=fn-result]');
	const result = await text(page, '[data-testid=fn-result] pre');
	assert(JSON.parse(result).message === 'Bonjour, Ada!', `result ${result}`);
	const log = await text(page, '[data-testid=fn-log-tail]');
	assert(/START RequestId/.test(log) && /hello: init done/.test(log), `log tail: ${log.slice(0, 300)}`);
	assert(await page.locator('[data-testid=fn-function-error]').count() === 0, 'a function error shown for a success');
	await page.waitForSelector('[data-testid=fn-invocation-row][data-status=Success]');
	await R.shot(page, 'console-function');
	// A function that fails: its error, as the function raised it.
	await page.goto(CONSOLE + '#/functions/fail');
	await page.fill('[data-testid=fn-payload]', '{}');
	await page.press('[data-testid=fn-payload]', 'Control+Enter');   // the keyboard's way
	await page.waitForSelector('[data-testid=fn-function-error]');
	const ferr = await text(page, '[data-testid=fn-function-error]');
	assert(/Unhandled/.test(ferr) && /CustomError/.test(ferr) && /fail function called/.test(ferr), `function error: ${ferr}`);
	await page.waitForSelector('[data-testid=fn-invocation-row][data-status=CustomError]');
	// Layers.
	await page.goto(CONSOLE + '#/layers');
	await page.click('[data-testid=layer-row][data-name=jansson] a');
	await page.waitForSelector('[data-testid=layer-versions] tbody tr');
	assert(/layer:jansson:1/.test(await text(page, '[data-testid=layer-versions]')), 'layer version 1 not listed');
	await done(page, 'console-layer');
	return `result ${result.replace(/\s+/g, '')}, log tail ${log.split('\n').length} lines, function error shown`;
});

await scenario('schedules', async () => {
	const page = await newPage();
	await page.goto(CONSOLE + '#/schedules');
	for (const n of ['soon', 'every-5-minutes', 'weekday-mornings'])
		await page.waitForSelector(`[data-testid=schedule-row][data-name="${n}"]`);
	await page.waitForSelector('[data-testid=rule-row][data-name=daily-noon]');
	await R.shot(page, 'console-schedules');
	// A cron schedule in a time zone: its next 5 fire times, as the API computes them.
	await page.click('[data-testid=schedule-row][data-name=weekday-mornings] a');
	await page.waitForSelector('[data-testid=fire-time]');
	const shown = await page.locator('[data-testid=fire-time] time').evaluateAll((ts) => ts.map((t) => ({ dt: t.getAttribute('datetime'), title: t.title, text: t.textContent })));
	assert(shown.length === 5, `${shown.length} fire times shown`);
	const want = (await aws(E, 'Tutti.NextFireTimes', { ScheduleExpression: 'cron(30 8 ? * MON-FRI *)',
		ScheduleExpressionTimezone: 'Europe/Paris', Count: 5 })).FireTimes;
	shown.forEach((s, i) => {
		assert(Date.parse(s.dt) === want[i] * 1000, `fire ${i}: shown ${s.dt}, the API says ${new Date(want[i] * 1000).toISOString()}`);
		assert(/UTC$/.test(s.title), `fire ${i}: title '${s.title}' is not UTC`);
		// The browser runs in Europe/Paris (lib.mjs): 08:30 local.
		assert(/08:30:00/.test(s.text), `fire ${i}: local time '${s.text}', expected 08:30 in Europe/Paris`);
	});
	await R.shot(page, 'console-schedule');
	// A rate() schedule: every 5 minutes from its creation, as the scheduler will fire it.
	await page.goto(CONSOLE + '#/schedules/groups/default/every-5-minutes');
	await page.waitForSelector('[data-testid=fire-time]');
	const rate = await page.locator('[data-testid=fire-time] time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime')) / 1000));
	const sched = await aws(E, 'TuttiScheduler.GetSchedule', { Name: 'every-5-minutes' });
	const rwant = (await aws(E, 'Tutti.NextFireTimes', { ScheduleArn: sched.Arn, Count: 5 })).FireTimes;
	assert(JSON.stringify(rate) === JSON.stringify(rwant), `rate(): shown ${rate}, the API says ${rwant}`);
	assert(rate.every((t, i) => !i || t - rate[i - 1] === 300), `rate(): not 300 s apart: ${rate}`);
	// The at() schedule: its fire and the execution it started.
	await page.goto(CONSOLE + `#/schedules/groups/default/soon`);
	const link = page.locator('[data-testid=fire-row] [data-testid=fire-exec-link]');
	await link.first().waitFor({ timeout: 30000 });
	await R.shot(page, 'console-schedule-fire');
	const fires = await aws(E, 'Tutti.ListFires', { ScheduleArn: soon.ScheduleArn });
	assert(fires.Fires.length === 1 && fires.Fires[0].ExecutionArn, `ListFires: ${JSON.stringify(fires)}`);
	const href = await link.first().getAttribute('href');
	assert(href === '#/executions/' + enc(fires.Fires[0].ExecutionArn), `link ${href}`);
	await link.first().click();
	await page.waitForSelector('[data-testid=exec-status]');
	assert(decodeURIComponent(hashOf(page).slice('#/executions/'.length)) === fires.Fires[0].ExecutionArn, `opened ${hashOf(page)}`);
	await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid=exec-status]').textContent));
	// The rule: next fires, at noon UTC.
	await page.goto(CONSOLE + '#/schedules/rules/daily-noon');
	await page.waitForSelector('[data-testid=fire-time]');
	const rt = await page.locator('[data-testid=fire-time] time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
	assert(rt.length === 5 && rt.every((d) => /T12:00:00/.test(d)), `rule fire times ${rt}`);
	// The browser is in Europe/Paris, the rule in UTC: each time also in the rule's zone.
	const lis = await page.locator('[data-testid=fire-time]').allInnerTexts();
	const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	lis.forEach((t, i) => {
		const local = paris.format(new Date(rt[i]));   // 13:00 in winter, 14:00 in summer
		assert(t.includes(`${local}:00`) && /12:00 in UTC/.test(t), `rule fire time ${i} as shown: '${t}', expected ${local} and 12:00 in UTC`);
	});
	await done(page, 'console-rule');
	return `5 fire times match NextFireTimes; at() fire → ${fires.Fires[0].ExecutionArn.replace(/^.*:/, '')}`;
});

await scenario('daily-todos', async () => {
	const asl = fs.readFileSync(path.join(TOP, 'examples/daily-todos/daily-todos.asl.json'), 'utf8');
	const arn = await createMachine(E, 'daily-todos', asl);
	const states = Object.keys(JSON.parse(asl).States);
	// Its daily rule, as `make demo` sets it up: the machine's page shows it with its next 5 fire times.
	await aws(E, 'AWSEvents.PutRule', { Name: 'daily-todos', ScheduleExpression: 'cron(0 12 * * ? *)' });
	await aws(E, 'AWSEvents.PutTargets', { Rule: 'daily-todos', Targets: [{ Id: 'todos', Arn: arn }] });
	let ran = 'drawn only (no TODOS_URL: the todos API is not served here)';
	let key = null, x = null;
	if (process.env.TODOS_URL) {
		x = await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: arn, name: 'todos-1',
			input: JSON.stringify({ url: process.env.TODOS_URL }) });
		const d = await waitExecution(E, x.executionArn, { timeoutMs: 60000 });
		assert(d.status === 'SUCCEEDED', `daily-todos ended ${d.status}: ${d.error} ${d.cause}`);
		key = JSON.parse(d.output).key;
		ran = `ran: stored ${key}`;
	}
	const page = await newPage();
	await page.goto(CONSOLE + '#/state-machines/' + enc(arn));
	await page.waitForSelector('[data-testid=graph] svg g.state');
	const drawn = await page.locator('[data-testid=graph] svg g.state').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));
	assert(states.every((s) => drawn.includes(s)) && drawn.length === states.length, `drawn ${drawn}, defined ${states}`);
	await page.waitForSelector('[data-testid=sm-schedules] [data-testid=sm-next-fires]');
	const sched = await text(page, '[data-testid=sm-schedules]');
	assert(sched.includes('daily-todos') && sched.includes('cron(0 12 * * ? *)'), `the machine's rule is not listed: ${sched}`);
	const nextFires = await page.locator('[data-testid=sm-schedules] [data-testid=sm-next-fires] time').evaluateAll(
		(ts) => ts.map((t) => t.getAttribute('datetime')));
	assert(nextFires.length === 5 && nextFires.every((t) => /T12:00:00(\.000)?Z$/.test(t)),
		`the rule's next 5 fire times: ${nextFires}`);
	if (key) {
		await page.waitForSelector('[data-testid=sm-executions] [data-testid=exec-row]');
		const row = await text(page, '[data-testid=sm-executions] [data-testid=exec-row]');
		assert(row.includes(key), `the execution's row does not show the stored key ${key}: ${row}`);
	}
	await done(page, 'console-daily-todos', true);   // the whole page: graph, executions, the rule's fire times
	// Its execution's graph, coloured.
	if (key) {
		const p2 = await newPage();
		await p2.goto(CONSOLE + '#/executions/' + enc(x.executionArn));
		await p2.waitForSelector('[data-testid=graph] g.state[data-state=Store].status-succeeded');
		await done(p2, 'console-daily-todos-execution');
	}
	return `${drawn.length} states drawn; ${ran}`;
});

await scenario('api-errors', async () => {
	const page = await newPage();
	await page.goto(CONSOLE + '#/state-machines/' + enc(slowArn));
	await page.fill('[data-testid=start-input]', '{"not": json');
	await page.click('[data-testid=start-button]');
	const box = page.locator('[data-testid=error-box]');
	await box.first().waitFor();
	const type = (await box.locator('.error-type').first().innerText()).trim();
	const msg = (await box.locator('.error-message').first().innerText()).replace(/^:\s*/, '').trim();
	let want;
	try {
		await aws(E, 'AWSStepFunctions.StartExecution', { stateMachineArn: slowArn, input: '{"not": json' });
	} catch (e) { want = e; }
	assert(want && /InvalidExecutionInput$/.test(want.type), `the API itself answered ${want && want.type}`);
	assert(type === want.type, `error box type '${type}', the API says '${want.type}'`);
	assert(msg === want.text, `error box message '${msg}', the API says '${want.text}'`);
	assert(hashOf(page).startsWith('#/state-machines/'), 'navigated away on an error');
	await R.shot(page, 'console-api-error');
	// A page for a machine that does not exist: the API's error, as it is.
	await page.goto(CONSOLE + '#/state-machines/' + enc('arn:aws:states:local:000000000000:stateMachine:no-such-machine'));
	await page.waitForSelector('[data-testid=error-box]');
	const t2 = (await page.locator('[data-testid=error-box] .error-type').innerText()).trim();
	assert(/StateMachineDoesNotExist$/.test(t2), `unknown machine: ${t2}`);
	// Lambda (restJson1): the error type from X-Amzn-ErrorType, the message from the body.
	await page.goto(CONSOLE + '#/functions/echo');
	await page.fill('[data-testid=fn-payload]', '{"not": json');
	await page.click('[data-testid=fn-invoke]');
	await page.waitForSelector('[data-testid=error-box]');
	const t3 = (await page.locator('[data-testid=error-box] .error-type').innerText()).trim();
	const m3 = (await page.locator('[data-testid=error-box] .error-message').innerText()).replace(/^:\s*/, '').trim();
	const raw = await fetch(E + '/2015-03-31/functions/echo/invocations', { method: 'POST', body: '{"not": json' });
	const rawBody = await raw.json();
	assert(t3 === raw.headers.get('x-amzn-errortype') && m3 === rawBody.message,
		`Invoke error box '${t3}: ${m3}', the API: '${raw.headers.get('x-amzn-errortype')}: ${rawBody.message}'`);
	await done(page, 'console-api-error-lambda');
	return `${type}: ${msg.slice(0, 60)}; ${t2}; ${t3}: ${m3}`;
});

await scenario('auth', async () => {
	const url = process.env.AUTH_CONSOLE_URL;
	if (!url) return 'not run (the dev server fronts one server only)';
	const base = url.replace(/\/console\/$/, '');
	const cfg = await (await fetch(base + '/console/api/config')).json();
	assert(cfg.auth === true, `config: ${JSON.stringify(cfg)}`);
	const page = await newPage();
	await page.goto(url + '#/state-machines');
	await page.waitForSelector('[data-testid=creds-form]');
	await R.shot(page, 'console-sign-in');
	// A wrong secret: the server's refusal, as it came.
	await page.fill('[data-testid=creds-key-id]', process.env.AUTH_KEY_ID);
	await page.fill('[data-testid=creds-secret]', 'not-the-secret');
	await page.click('[data-testid=creds-submit]');
	await page.waitForSelector('[data-testid=error-box]');
	const refused = (await text(page, '[data-testid=error-box]')).replace(/\s+/g, ' ');
	assert(/Signature|Unrecognized|Invalid/i.test(refused), `a wrong secret: ${refused}`);
	assert(await page.evaluate(() => !localStorage.length), 'credentials written to localStorage');
	// The right key: every service the console signs for (states, lambda, events, scheduler).
	await page.reload();
	await page.waitForSelector('[data-testid=creds-form]');
	await page.fill('[data-testid=creds-key-id]', process.env.AUTH_KEY_ID);
	await page.fill('[data-testid=creds-secret]', process.env.AUTH_SECRET);
	await page.click('[data-testid=creds-submit]');
	await page.waitForSelector('[data-testid=sm-list]');
	await page.goto(url + '#/functions');
	await page.waitForSelector('[data-testid=fn-list]');
	await page.goto(url + '#/schedules');
	await page.waitForSelector('[data-testid=schedule-list]');
	await page.waitForSelector('[data-testid=rule-list]');
	assert(await page.locator('[data-testid=error-box]').count() === 0,
		`errors after signing in: ${await page.locator('[data-testid=error-box]').allInnerTexts()}`);
	const stored = await page.evaluate(() => ({ session: sessionStorage.length, local: localStorage.length }));
	assert(stored.session >= 1 && stored.local === 0, `storage: ${JSON.stringify(stored)}`);
	await done(page);
	return `wrong secret refused (${refused.slice(0, 60)}); signed calls to states, lambda, events and scheduler`;
});

await scenario('executions-10000', async () => {
	const t0 = Date.now();
	const bulk = await seedExecutions(E, N_EXEC);
	const seeded = Date.now() - t0;
	// (A schedule of this test may fire meanwhile: the count shown must lie between these two.)
	const before = (await aws(E, 'Tutti.ListExecutions', { maxResults: 1 })).counts.SUCCEEDED;
	const l = await execList(context, CONSOLE);
	try {
		assert(l.rows > 0 && l.rows <= 100, `the list DOM holds ${l.rows} rows`);
		const all = await l.page.locator('tbody tr').count();
		assert(all <= 120, `${all} table rows in the page`);
		await l.page.waitForSelector('[data-testid=filter-SUCCEEDED]');
		const f = (await l.page.locator('[data-testid=filter-SUCCEEDED]').innerText()).replace(/[\s,.\u202f\u00a0]/g, '');
		const after = (await aws(E, 'Tutti.ListExecutions', { maxResults: 1 })).counts.SUCCEEDED;
		const shownCount = Number((/(\d+)$/.exec(f) || [])[1]);
		assert(before >= N_EXEC && shownCount >= before && shownCount <= after,
			`filter-SUCCEEDED says '${f}', the API counts ${before} before and ${after} after`);
		await R.shot(l.page, 'console-executions');
		// The next page, served by the server.
		const first = await l.page.locator('[data-testid=exec-row]').first().getAttribute('data-name');
		await l.page.click('[data-testid=pager-next]');
		await l.page.waitForFunction((n) => document.querySelector('[data-testid=exec-row]')?.dataset.name !== n, first);
		assert(await l.page.locator('[data-testid=exec-row]').count() <= 100, 'page 2 over 100 rows');
		assert(!l.errors.length, `page errors: ${l.errors}`);
	} finally {
		await l.page.close();
	}
	assert(l.ms < LIST_PAINT_MAX_MS, `the list painted after ${Math.round(l.ms)} ms (bound ${LIST_PAINT_MAX_MS})`);
	// Per machine, too.
	const page = await newPage();
	await page.goto(CONSOLE + '#/executions?machine=' + enc(bulk));
	await page.waitForSelector('[data-testid=exec-row]');
	assert(await page.locator('[data-testid=exec-row]').count() <= 100, 'per-machine list over 100 rows');
	await done(page);
	return `${N_EXEC} executions seeded in ${seeded} ms; list table painted at ${Math.round(l.ms)} ms after navigation ` +
		`(row in the DOM at ${Math.round(l.dom)} ms, first-contentful-paint ${l.fcp == null ? 'n/a' : Math.round(l.fcp) + ' ms'}), ${l.rows} rows`;
});

await scenario('graph-1000', async () => {
	const arn = await createMachine(E, `big-${N_STATES}`, bigMachine(N_STATES));
	const g = await graph(context, CONSOLE, arn);
	try {
		assert(g.states === N_STATES, `${g.states} states in the SVG, expected ${N_STATES}`);
		assert(!g.errors.length, `page errors: ${g.errors}`);
		await R.shot(g.page, 'console-graph-1000');
	} finally {
		await g.page.close();
	}
	assert(g.ms < GRAPH_MAX_MS, `the graph took ${Math.round(g.ms)} ms (bound ${GRAPH_MAX_MS})`);
	return `${N_STATES}-state graph in the DOM ${Math.round(g.ms)} ms after navigation`;
});

await close();
const failed = R.results.filter((r) => !r.ok);
console.log(`---- ${R.results.length} scenarios, ${failed.length} failed; screenshots in ${SHOTS}`);
process.exit(failed.length ? 1 : 0);
