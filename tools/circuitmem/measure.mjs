#!/usr/bin/env node
// Managed heap per idle viewer circuit of the live session page (issue 14): opens N live-session pages in Debian's
// Chromium (one signed-in browser context per user), leaves them idle, and reads the app's managed heap before and
// after with the runtime's own tools: dotnet-gcdump (which forces a full, blocking GC and counts every live object by
// type) and dotnet-counters (System.Runtime dotnet.gc.last_collection.heap.size, sampled around that GC: the smallest).
//
//   node tools/circuitmem/measure.mjs --url http://127.0.0.1:5099 --pid <app pid> --session <id> [--pages 100]
//
// "Before" is taken with one page already open (the first circuit pays the one-time costs: compiled queries, component
// metadata, caches), so after − before is what the N further circuits hold. Users rep001… sign in first, one context
// each (--users rep), or every page shares one account (--same-user resident). Prints a JSON summary and the types
// whose live bytes grew most; the .gcdump files stay in --out for a closer look (dotnet-gcdump report).
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, requireLoopback, seedAccounts } from '../loadtest/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:5099',
  pid: 0,
  session: 0,
  pages: 100,
  users: 'rep',
  'user-start': 1,
  'same-user': '',
  password: null,
  settle: 15,
  out: '/tmp/circuitmem',
  top: 40,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  timeout: 1200,
});
if (!args.pid || !args.session) {
  throw new Error('--pid (the app process) and --session (a session id, e.g. from tools/loadtest/setup.mjs) are required');
}
const base = requireLoopback(args.url);
const seeds = seedAccounts();
mkdirSync(args.out, { recursive: true });

const hardStop = setTimeout(() => {
  console.error(`measure: gave up after ${args.timeout} s`);
  process.exit(2);
}, args.timeout * 1000);

const tool = (...toolArgs) => execFileSync('dotnet', ['tool', 'run', ...toolArgs], { cwd: here, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

/**
 * Forces a full GC through a gcdump while dotnet-counters samples the heap size the runtime reports for its latest GC;
 * the smallest sample is the one after the forced full GC (a later ephemeral GC also reports the dead objects it
 * promoted since).
 */
async function heap(name) {
  const file = join(args.out, `${name}.gcdump`);
  const json = join(args.out, `${name}-counters.json`);
  const counters = spawn('dotnet', ['tool', 'run', 'dotnet-counters', 'collect', '-p', String(args.pid), '--counters', 'System.Runtime',
    '--format', 'json', '-o', json, '--duration', '00:00:00:25', '--refresh-interval', '1'], { cwd: here, stdio: 'ignore' });
  const countersDone = new Promise((resolve) => counters.on('exit', resolve));
  await new Promise((r) => setTimeout(r, 3000));
  tool('dotnet-gcdump', 'collect', '-p', String(args.pid), '-o', file);
  const report = tool('dotnet-gcdump', 'report', file);
  await countersDone;
  const samples = new Map();
  for (const e of JSON.parse(readFileSync(json, 'utf8')).Events) {
    if (e.name.startsWith('dotnet.gc.last_collection.heap.size')) {
      const at = e.timestamp.slice(0, 19);
      samples.set(at, (samples.get(at) ?? 0) + e.value);
    }
  }
  const types = new Map();
  let live = 0;
  for (const line of report.split('\n')) {
    const total = line.match(/^\s*([\d,]+)\s+GC Heap bytes/);
    if (total) {
      live = Number(total[1].replaceAll(',', ''));
      continue;
    }
    const row = line.match(/^\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s*(\(Bytes > [^)]*\))?\s+\[[^\]]*\]\s*$/);
    if (row) {
      const key = row[3];
      const prior = types.get(key) ?? { bytes: 0, count: 0 };
      // The first column is the average size of one object of the row; a type may have several rows (by size class).
      const count = Number(row[2].replaceAll(',', ''));
      types.set(key, { bytes: prior.bytes + Number(row[1].replaceAll(',', '')) * count, count: prior.count + count });
    }
  }
  const heapSize = Math.min(...samples.values());
  writeFileSync(join(args.out, `${name}-report.txt`), report);
  return { live, heapSize, types };
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-quic', '--renderer-process-limit=6', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
});
const users = Array.from({ length: args.pages + 1 }, (_, i) =>
  args['same-user'] || `${args.users}${String(args['user-start'] + i).padStart(3, '0')}`);
const passwordOf = (user) => args.password ?? (user.startsWith('rep') ? seeds.memberPassword : seeds.passwordOf(user));

async function signedInContext(user) {
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto('/account/login');
  await page.fill('#username', user);
  await page.fill('#password', passwordOf(user));
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/account/login'));
  await page.goto('about:blank');
  return { context, page };
}

async function openLive({ page }) {
  await page.goto(`/sessions/${args.session}`);
  await page.locator('[data-testid="live-session"]').waitFor({ state: 'attached' });
}

try {
  // Sign everyone in first (one context per user; with --same-user one context for all pages).
  const contexts = [];
  if (args['same-user']) {
    const first = await signedInContext(args['same-user']);
    contexts.push(first);
    for (let i = 1; i <= args.pages; i++) {
      contexts.push({ context: first.context, page: await first.context.newPage() });
    }
  } else {
    for (let i = 0; i < users.length; i += 10) {
      contexts.push(...await Promise.all(users.slice(i, i + 10).map(signedInContext)));
    }
  }

  await openLive(contexts[0]);
  await new Promise((r) => setTimeout(r, args.settle * 1000));
  const before = await heap('before');
  console.error(`before: ${before.live} B live, heap ${before.heapSize} B (1 page open)`);

  const started = Date.now();
  for (let i = 1; i < contexts.length; i += 5) {
    await Promise.all(contexts.slice(i, i + 5).map(openLive));
  }
  console.error(`${args.pages} more pages live in ${((Date.now() - started) / 1000).toFixed(1)} s; idle ${args.settle} s`);
  await new Promise((r) => setTimeout(r, args.settle * 1000));
  // Every page still shows the live session (none lost its circuit).
  const alive = (await Promise.all(contexts.map(({ page }) => page.locator('[data-testid="live-session"]').count()))).filter((c) => c > 0).length;
  const after = await heap('after');

  const grown = [];
  for (const [type, a] of after.types) {
    const b = before.types.get(type) ?? { bytes: 0, count: 0 };
    if (a.bytes - b.bytes > 0) {
      grown.push({ type, bytes: a.bytes - b.bytes, count: a.count - b.count });
    }
  }
  grown.sort((x, y) => y.bytes - x.bytes);
  const summary = {
    pages: args.pages,
    pagesAlive: alive - 1,
    users: args['same-user'] ? `all ${args['same-user']}` : `${users[1]}…${users[users.length - 1]}`,
    liveBytesBefore: before.live,
    liveBytesAfter: after.live,
    liveKBPerCircuit: +((after.live - before.live) / args.pages / 1024).toFixed(1),
    heapBytesBefore: before.heapSize,
    heapBytesAfter: after.heapSize,
    heapKBPerCircuit: +((after.heapSize - before.heapSize) / args.pages / 1024).toFixed(1),
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`\ntypes that grew most (bytes and objects per circuit, of ${args.pages}):`);
  for (const g of grown.slice(0, args.top)) {
    console.log(`${(g.bytes / args.pages).toFixed(0).padStart(9)} B ${(g.count / args.pages).toFixed(1).padStart(8)}  ${g.type}`);
  }
  writeFileSync(join(args.out, 'summary.json'), JSON.stringify({ summary, grown }, null, 2));
} finally {
  await browser.close();
  clearTimeout(hardStop);
}
