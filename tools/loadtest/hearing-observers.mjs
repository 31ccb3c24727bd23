#!/usr/bin/env node
// Observers of a live hearing (issue 12): N phones following /hearings/{id}/live/events (server-sent events, no
// circuit) while the chair gives and ends the floor through the real management page. For each "floor given" the
// delay is the time from the server's start of the turn (startedAtUtc in the state, same machine's clock) to its arrival
// at each observer; it prints p50/p95/p99 and, with --server-pid, the app's resident memory per observer (VmRSS with
// the observers connected minus before, divided by N).
//
//   node tools/loadtest/hearing-observers.mjs --url http://127.0.0.1:5099 --observers 500 --server-pid <pid>
//
// Prepares its own hearing as the chair (a public-hearing session, notice, registration of --speakers residents from
// this address: at most 5 an hour per source, so one run an hour), selects them all and starts the hearing.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { parseArgs, requireLoopback, seedAccounts, percentile } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:5080', observers: 500, speakers: 4, 'server-pid': null, chair: 'chair', 'chair-password': null,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', timeout: 600,
});
const base = requireLoopback(args.url);
const n = Number(args.observers);
const hardStop = setTimeout(() => { console.error(`gave up after ${args.timeout} s`); process.exit(2); }, args.timeout * 1000);
const rss = () => args['server-pid'] ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${args['server-pid']}/status`, 'utf8'))[1]) : NaN;

const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
context.setDefaultTimeout(30_000);
const page = await context.newPage();
const t = (id) => page.locator(`[data-testid="${id}"]`);
await page.goto('/account/login');
await page.fill('#username', args.chair);
await page.fill('#password', args['chair-password'] ?? seedAccounts().passwordOf(args.chair));
await t('login-submit').click();
await page.waitForURL((u) => !u.pathname.startsWith('/account/login'));

const title = `观察负载 ${new Date().toISOString().slice(0, 19)}`;
await page.goto('/sessions/new');
await page.locator('form[data-interactive]').waitFor({ state: 'attached' });
await t('kind').selectOption('PublicHearing');
await t('title').fill(title);
await t('place').fill('江川社区党工委会议室');
await t('item-title').nth(0).fill('听取意见');
await t('create-submit').click();
await page.waitForURL(/\/sessions\/\d+$/);
await page.goto('/hearings/manage');
await page.locator('h1[data-interactive]').waitFor({ state: 'attached' });
const card = t('manage-session').filter({ hasText: title });
await card.locator('[data-testid="manage-create-start"]').click();
const start = new Date(Date.now() + 10 * 86400_000);
const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
await card.locator('[data-testid="n-starts"]').fill(local(start));
await card.locator('[data-testid="n-deadline"]').fill(local(new Date(start.getTime() - 3 * 86400_000)));
await card.locator('[data-testid="n-create"]').click();
await page.waitForURL(/\/hearings\/manage\/\d+$/);
const hearingId = Number(new URL(page.url()).pathname.split('/').pop());
await t('step-publish-notice').click();
await t('step-open-registration').click();
await t('manage-stage').filter({ hasText: '报名中' }).waitFor();

const resident = await (await browser.newContext({ baseURL: base, locale: 'zh-CN' })).newPage();
for (let i = 0; i < Number(args.speakers); i++) {
  await resident.goto(`/hearings/${hearingId}`);
  await resident.fill('[data-testid="reg-name"]', `居民${i}`);
  await resident.fill('[data-testid="reg-affiliation"]', `${i + 1} 号楼`);
  await resident.fill('[data-testid="reg-contact"]', `1370000${String(Date.now() % 10000).padStart(4, '0')}${i}`);
  await resident.check(`[data-testid="reg-position-${i % 2 ? 'Oppose' : 'Support'}"]`);
  await resident.click('[data-testid="reg-submit"]');
  await resident.locator('[data-testid="hearing-receipt"]').waitFor();
}

await page.reload();
await page.locator('h1[data-interactive]').waitFor({ state: 'attached' });
await t('step-close-registration').click();
for (let i = 0; i < Number(args.speakers); i++) {
  await t('reg-select').nth(i).click();
  await t('manage-registration-status').nth(i).filter({ hasText: '已入选' }).waitFor();
}
await t('step-go-live').click();
await t('manage-order').waitFor();

// The observers: plain streaming GETs, as EventSource makes them.
const before = rss();
const delays = [];
let countFrom = Infinity;
let connected = 0;
const controllers = [];
await Promise.all(Array.from({ length: n }, async () => {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await fetch(`${base}/hearings/${hearingId}/live/events`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  connected++;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!event.startsWith('data: ')) continue;
          const state = JSON.parse(event.slice(6));
          if (state.speaker && state.startedAtUtc && Date.parse(state.startedAtUtc) > countFrom) {
            delays.push(Date.now() - Date.parse(state.startedAtUtc));
          }
        }
      }
    } catch { /* aborted */ }
  })();
}));
await new Promise((r) => setTimeout(r, 3000));
const during = rss();

countFrom = Date.now();
for (let i = 0; i < Number(args.speakers); i++) {
  await t('floor-give').first().click();
  await t('manage-current').waitFor();
  await new Promise((r) => setTimeout(r, 1500));
  await t('floor-end').click();
  await t('manage-current').waitFor({ state: 'detached' });
  await new Promise((r) => setTimeout(r, 1000));
}

controllers.forEach((c) => c.abort());
const sorted = delays.sort((a, b) => a - b);
console.log(JSON.stringify({
  hearingId, observers: n, connected, turns: Number(args.speakers), samples: sorted.length,
  p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1),
  rssBeforeKb: before, rssWithObserversKb: during, kbPerObserver: Number.isFinite(before) ? Math.round((during - before) / n * 10) / 10 : null,
}));
clearTimeout(hardStop);
await browser.close();
