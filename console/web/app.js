// app.js — the console's entry point: registers every page module's routes, then routes.
// Each page module exports register(route). A module that fails to load does not take the
// others down: the failure is shown in the banner.
import { route, start, config, credentials, forgetCredentials, timeZone, h } from './core.js';

const MODULES = ['./machines.js', './executions.js', './functions.js', './schedules.js'];

const main = document.getElementById('main');
const banner = document.getElementById('banner');

document.getElementById('skip-link').addEventListener('click', ev => {
	ev.preventDefault();           // '#main' would be taken for a route
	main.focus();
});

document.getElementById('tz').textContent = `Times in ${timeZone}`;

// The nav link of the current section: aria-current="page".
window.addEventListener('tutti:route', ev => {
	const section = ev.detail.path.split('/').filter(Boolean)[0] || '';
	for (const a of document.querySelectorAll('header nav a[data-section]')) {
		if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
		else a.removeAttribute('aria-current');
	}
	const so = document.getElementById('signout');
	so.hidden = !credentials();
});

document.getElementById('signout').addEventListener('click', () => {
	forgetCredentials();
	location.reload();
});

const loaded = await Promise.allSettled(MODULES.map(m => import(m)));
loaded.forEach((r, i) => {
	if (r.status === 'fulfilled' && typeof r.value.register === 'function') {
		try { r.value.register(route); return; } catch (e) { r.reason = e; }
	}
	const why = r.status === 'rejected' ? r.reason : new Error('it exports no register(route)');
	console.error(MODULES[i], why);
	banner.append(h('p', { class: 'error-box' }, `The console's module ${MODULES[i]} did not load: ${why && why.message}`));
});

config().then(c => {
	if (c.version) document.getElementById('version').textContent = `tutti ${c.version}`;
});

start(main, '#/state-machines');
