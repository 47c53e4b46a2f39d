// tests/browser/lib.mjs — what the console's browser tests and its benchmark
// share: Chromium (headless, offline flags, a fresh profile), AWS JSON calls
// from node, seeding, and a small PASS/FAIL recorder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const CHROMIUM = '/usr/bin/chromium';
export const PLAYWRIGHT = '/opt/playwright/node_modules/playwright-core';
// The machine is offline: without these Chromium keeps trying the network.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Why the browser tests cannot run here, or null.
export function missing() {
	if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
	if (!fs.existsSync(path.join(PLAYWRIGHT, 'package.json'))) return `${PLAYWRIGHT} is not installed`;
	return null;
}

// A headless Chromium with a fresh user-data-dir (removed by close()).
export async function launch({ width = 1280, height = 800 } = {}) {
	const require = createRequire(import.meta.url);
	const { chromium } = require(PLAYWRIGHT);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutti-chromium.'));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
		viewport: { width, height }, timezoneId: process.env.TUTTI_TEST_TZ || 'Europe/Paris', locale: 'en-GB',
	});
	// Removed however the program ends: after Playwright's own exit handler,
	// registered by the launch, has killed the browser.
	process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	context.setDefaultTimeout(15000);
	const close = async () => {
		await context.close().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
	};
	return { context, close };
}

// ---- the API from node ------------------------------------------------------------------

const ANSWER_MAX = 64 << 20;

export class AwsError extends Error {
	// type and text: exactly as the server sent them (__type, message).
	constructor(status, type, text) { super(`${type}: ${text}`); this.status = status; this.type = type; this.text = text; }
}

// An AWS JSON call to `endpoint` (http://127.0.0.1:PORT). Resolves the answer.
export async function aws(endpoint, target, body = {}) {
	const res = await fetch(endpoint + '/', {
		method: 'POST',
		headers: { 'X-Amz-Target': target,
			'Content-Type': /^AWSEvents\./.test(target) ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0' },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	if (text.length > ANSWER_MAX) throw new AwsError(res.status, 'TooLarge', `${target}: answer over ${ANSWER_MAX} bytes`);
	let json = null;
	try { json = text ? JSON.parse(text) : {}; } catch { /* below */ }
	if (!res.ok) throw new AwsError(res.status, json?.__type || `HTTP ${res.status}`, json?.message || text.slice(0, 300));
	if (json === null) throw new AwsError(res.status, 'InvalidResponse', text.slice(0, 300));
	return json;
}

export const ROLE = 'arn:aws:iam::000000000000:role/tutti';

export async function createMachine(endpoint, name, definition, type = 'STANDARD') {
	const r = await aws(endpoint, 'AWSStepFunctions.CreateStateMachine', {
		name, definition: typeof definition === 'string' ? definition : JSON.stringify(definition), roleArn: ROLE, type });
	return r.stateMachineArn;
}

export async function waitExecution(endpoint, executionArn, { timeoutMs = 30000 } = {}) {
	const t0 = Date.now();
	for (;;) {
		const d = await aws(endpoint, 'AWSStepFunctions.DescribeExecution', { executionArn });
		if (d.status !== 'RUNNING') return d;
		if (Date.now() - t0 > timeoutMs) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

// n StartExecution calls, `parallel` in flight. Resolves the number started.
export async function startMany(endpoint, stateMachineArn, n, { parallel = 32, prefix = 'seed' } = {}) {
	let next = 0, done = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			await aws(endpoint, 'AWSStepFunctions.StartExecution',
				{ stateMachineArn, name: `${prefix}-${String(i).padStart(5, '0')}`, input: JSON.stringify({ i }) });
			done++;
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return done;
}

// A chain of n Pass states, with a Choice every 50 states so it is not only a
// line. prefix: the states' names start with it (a different prefix, a
// different graph: the server's layout cache does not know it).
export function bigMachine(n, prefix = 'S') {
	const name = (i) => `${prefix}${String(i).padStart(4, '0')}`;
	const States = {};
	for (let i = 0; i < n; i++) {
		const next = i + 1 < n ? name(i + 1) : null;
		if (i % 50 === 25 && next && i + 2 < n)
			States[name(i)] = { Type: 'Choice', Choices: [{ Variable: '$.skip', BooleanEquals: true, Next: name(i + 2) }], Default: next };
		else
			States[name(i)] = next ? { Type: 'Pass', Next: next } : { Type: 'Pass', End: true };
	}
	return { Comment: `${n} states`, StartAt: name(0), States };
}

// ---- recording results ---------------------------------------------------------------------

export function recorder(shotsDir) {
	const results = [];
	fs.mkdirSync(shotsDir, { recursive: true });
	return {
		results,
		shot: async (page, name, full = false) => page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: full }),
		// check(name, fn): fn throws to fail; its return value (a string) is the detail.
		check: async (name, fn) => {
			const t0 = Date.now();
			try {
				const detail = await fn();
				results.push({ name, ok: true });
				console.log(`PASS  ${name}: ${detail || 'ok'} (${Date.now() - t0} ms)`);
			} catch (e) {
				results.push({ name, ok: false });
				console.log(`FAIL  ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : e}`);
			}
		},
	};
}

export function assert(cond, msg) {
	if (!cond) throw new Error(msg);
}

export function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
