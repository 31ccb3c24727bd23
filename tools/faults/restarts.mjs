// Redis and PostgreSQL stopped and started again during a live session on the local cluster (deploy/local-cluster.sh):
// a voter on instance A keeps casting, a hub watcher and a browser on instance B keep watching. Prints what each saw.
//   node tools/faults/restarts.mjs --a http://127.0.0.1:5101 --b http://127.0.0.1:5102 --session 9 --poll 1
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, requireLoopback, seedAccounts, login } from '../loadtest/common.mjs';

const require = createRequire(new URL('../loadtest/package.json', import.meta.url));
const signalR = require('@microsoft/signalr');
const { chromium } = require('playwright-core');

const args = parseArgs(process.argv.slice(2), {
  a: 'http://127.0.0.1:5101',
  b: 'http://127.0.0.1:5102',
  nginx: 'http://127.0.0.1:8088',
  session: null,
  poll: null,
  'voter-start': 1,
  outage: 8,
  screenshots: '/tmp',
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
});
const a = requireLoopback(args.a);
const b = requireLoopback(args.b);
const pollId = Number(args.poll);
const cluster = fileURLToPath(new URL('../../deploy/local-cluster.sh', import.meta.url));
const seeds = seedAccounts();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...x) => console.log(new Date().toISOString().slice(11, 23), ...x);

async function connect(base, token) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${base}/hubs/live`, { accessTokenFactory: () => token, skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.None)
    .build();
  return connection;
}

const tallies = [];
const watcherToken = await login(b, 'resident', seeds.passwordOf('resident'));
let watcher = await connect(b, watcherToken);
watcher.on('tally', (t) => { if (t.pollId === pollId) tallies.push({ at: Date.now(), ballots: t.ballots }); });
watcher.onclose((e) => log('hub watcher on B: connection closed', e?.message ?? ''));
await watcher.start();
await watcher.invoke('JoinSession', Number(args.session));

const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'] });
const context = await browser.newContext({ baseURL: b, locale: 'zh-CN' });
context.setDefaultTimeout(30_000);
const page = await context.newPage();
await page.goto('/account/login');
await page.fill('#username', 'resident');
await page.fill('#password', seeds.passwordOf('resident'));
await page.locator('[data-testid="login-submit"]').click();
await page.waitForURL((url) => !url.pathname.startsWith('/account/login'));
await page.goto(`/sessions/${args.session}`);
const shownBallots = async () => (await page.locator('[data-testid="open-poll"]').getAttribute('data-ballots').catch(() => null))
  ?? (await page.locator('[data-testid="tally-cast"]').innerText({ timeout: 1000 }).catch(() => '?'));
const pageState = async () => {
  const reconnect = await page.locator('#components-reconnect-modal[open]').count().catch(() => 0);
  return `title="${await page.title().catch(() => '?')}" reconnect-ui=${reconnect} tally="${await shownBallots()}"`;
};

let voterIndex = Number(args['voter-start']);
async function castOnA(label, deadlineMs) {
  const name = `rep${String(voterIndex++).padStart(3, '0')}`;
  const key = `restart-${pollId}-${name}`;
  const started = Date.now();
  let errors = 0;
  let lastError = '';
  while (Date.now() < deadlineMs) {
    let connection;
    try {
      const token = await login(a, name, seeds.memberPassword);
      connection = await connect(a, token);
      await connection.start();
      const result = await connection.invoke('CastBallot', pollId, [0], key, null);
      await connection.stop();
      log(`${label}: ${name} ${result.outcome} (ballots ${result.ballots}) after ${Date.now() - started} ms, ${errors} failed tries${errors ? ` (last: ${lastError})` : ''}`);
      return result.ballots;
    } catch (error) {
      errors++;
      lastError = String(error?.message ?? error).slice(0, 160);
      await connection?.stop().catch(() => {});
      await sleep(500);
    }
  }
  log(`${label}: ${name} got no answer (${errors} tries, last: ${lastError})`);
  return null;
}

async function seenOnB(ballots, ms) {
  if (ballots == null) return null; // no ballot was cast: nothing to see (it used to log "yes")
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const hit = tallies.find((t) => t.ballots >= ballots);
    if (hit) return hit.at;
    await sleep(20);
  }
  return null;
}

const shot = async (name) => page.screenshot({ path: `${args.screenshots}/restart-${name}.png` }).catch(() => {});

// 0. Baseline.
let ballots = await castOnA('before', Date.now() + 30_000);
let seen = await seenOnB(ballots, 3000);
log(`baseline: B's hub watcher saw ballot ${ballots}: ${seen ? 'yes' : 'no'}; B's page: ${await pageState()}`);

// 1. Redis away for a while, then back.
execSync(`${cluster} stop-redis`, { stdio: 'ignore' });
log('redis stopped');
ballots = await castOnA('redis down', Date.now() + 30_000);
seen = await seenOnB(ballots, 2000);
log(`redis down: B's hub watcher saw ballot ${ballots}: ${seen ? 'yes' : 'no'}; hub watcher ${watcher.state}; B's page: ${await pageState()}`);
await shot('redis-down');
await sleep(args.outage * 1000);
execSync(`${cluster} start-redis`, { stdio: 'ignore' });
const redisBack = Date.now();
log('redis started');
for (let i = 0; i < 20; i++) {
  ballots = await castOnA('redis back', Date.now() + 30_000);
  seen = await seenOnB(ballots, 1000);
  if (seen) {
    log(`redis back: B's hub watcher sees ballots again ${seen - redisBack} ms after the restart (ballot ${ballots}); B's page: ${await pageState()}`);
    break;
  }
}
await shot('redis-back');

// 2. PostgreSQL away for a while, then back.
execSync(`${cluster} stop-postgres`, { stdio: 'ignore' });
const pgDown = Date.now();
log('postgresql stopped');
let pendingAnsweredAt = null;
const pending = castOnA('postgres down', Date.now() + 120_000).then((b) => { pendingAnsweredAt = Date.now(); return b; });
await sleep(2000);
log(`postgres down: B's page: ${await pageState()}`);
await shot('postgres-down-live');
// Timed to the response (the 503 page refreshes itself every 10 s, so waiting for 'load' measured its third refresh).
const reloadStart = Date.now();
const reloaded = await page.reload({ waitUntil: 'commit' }).catch((e) => { log('reload failed', e.message); return null; });
if (reloaded) log(`postgres down: the reload got ${reloaded.status()} after ${Date.now() - reloadStart} ms`);
await sleep(1500);
log(`postgres down, page reloaded: ${await pageState()} body: ${(await page.locator('main, body').first().innerText().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ')}`);
await shot('postgres-down-reload');
// What a hub client's sign-in gets meanwhile, and a page through nginx (both instances answer 503 now: does nginx pass it on?).
const signIn = await fetch(`${a}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: 'rep100', password: seeds.memberPassword }) })
  .then(async (r) => `${r.status} retry-after=${r.headers.get('retry-after')} ${r.headers.get('content-type')} ${(await r.text()).slice(0, 200)}`).catch((e) => `failed: ${e.message}`);
log(`postgres down: POST /api/auth/login on A: ${signIn}`);
// The home page as a new visitor (it reads the database; an anonymous /sessions/N only redirects to the sign-in page).
const viaNginx = await fetch(`${requireLoopback(args.nginx)}/`, { headers: { cookie: 'cd_route=restarts' }, redirect: 'manual' })
  .then(async (r) => `${r.status} retry-after=${r.headers.get('retry-after')} ${(await r.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 160)}`).catch((e) => `failed: ${e.message}`);
log(`postgres down: GET / through nginx: ${viaNginx}`);
await sleep(Math.max(0, args.outage * 1000 - (Date.now() - pgDown)));
execSync(`${cluster} start-postgres`, { stdio: 'ignore' });
const pgBack = Date.now();
log('postgresql started');
// The reconnecting page reloads itself (meta refresh): does the browser come back to the live page without a click?
const recovered = await page.waitForSelector('[data-testid="tally-cast"], [data-testid="open-poll"]', { timeout: 30_000 }).then(() => Date.now()).catch(() => null);
log(`postgres back: the reconnecting page ${recovered ? `reloaded itself into the live page ${recovered - pgBack} ms after the restart` : 'did not come back by itself within 30 s'} (${await pageState()})`);
await shot('postgres-back-self-reload');
ballots = await pending;
seen = ballots ? await seenOnB(ballots, 3000) : null;
log(`postgres back: the waiting cast was answered ${pendingAnsweredAt - pgBack} ms after the restart; B's hub watcher saw it: ${seen ? 'yes' : 'no'}`);
ballots = await castOnA('after postgres', Date.now() + 30_000);
seen = await seenOnB(ballots, 3000);
await page.goto(`/sessions/${args.session}`).catch(() => {});
await sleep(1500);
log(`after: B's hub watcher saw ballot ${ballots}: ${seen ? 'yes' : 'no'}; B's page: ${await pageState()}`);
await shot('after');
await watcher.stop();
await browser.close();
