#!/usr/bin/env node
// Prepares a load-test run through the real UI (the hub has no chair methods): signs in as the chair in Debian's
// Chromium, creates and opens a council session, checks every member in through the roster, opens a yes / no / abstain
// vote, and prints the ids as JSON: {"sessionId":…,"pollId":…}.
//
//   node tools/loadtest/setup.mjs --url http://127.0.0.1:5099 [--secret] [--chair chair --chair-password …]
//
// Passwords default to the demo seeds (seeds/accounts.json). Only loopback addresses are accepted.
import { chromium } from 'playwright-core';
import { parseArgs, requireLoopback, seedAccounts } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:5080',
  chair: 'chair',
  'chair-password': null,
  title: null,
  question: '是否同意沪闵路沿线旧住房改造方案?(负载测试)',
  secret: false,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  timeout: 120,
});
const base = requireLoopback(args.url);
const chairPassword = args['chair-password'] ?? seedAccounts().passwordOf(args.chair);
const title = args.title ?? `负载测试 ${new Date().toISOString().slice(0, 19)}`;

const hardStop = setTimeout(() => {
  console.error(`setup: gave up after ${args.timeout} s`);
  process.exit(2);
}, args.timeout * 1000);

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

  await page.goto('/account/login');
  await page.fill('#username', args.chair);
  await page.fill('#password', chairPassword);
  await byTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/account/login'));
  await byTestId('signed-in-as').waitFor({ state: 'attached' });

  // A session with one agenda item, then open it.
  await page.goto('/sessions/new');
  await page.locator('form[data-interactive]').waitFor({ state: 'attached' });
  await byTestId('title').fill(title);
  await byTestId('place').fill('江川社区党群服务中心');
  await byTestId('item-title').nth(0).fill('审议沪闵路沿线旧住房改造方案');
  await byTestId('create-submit').click();
  await page.waitForURL(/\/sessions\/\d+$/);
  const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
  await byTestId('open-session').click();
  await page.locator('[data-testid="live-session"][data-status="Open"]').waitFor();

  // Everyone present: the roster's "select all shown" and "check in".
  await byTestId('roster').locator('summary').click();
  await byTestId('roster-select-shown').click();
  await byTestId('roster-check-in').click();

  // Open the vote; retried while the check-in is still on its way (quorum not met yet).
  if (args.secret) {
    await byTestId('poll-more').locator('summary').click();
    await byTestId('poll-secrecy').selectOption('Secret');
  }
  await byTestId('poll-question-input').fill(args.question);
  let pollId = null;
  for (let attempt = 0; attempt < 20 && pollId === null; attempt++) {
    await byTestId('open-poll-button').click();
    try {
      await byTestId('open-poll').waitFor({ timeout: 1_500 });
      pollId = Number(await byTestId('open-poll').getAttribute('data-poll-id'));
    } catch {
      // not open yet: try again
    }
  }
  if (pollId === null) {
    throw new Error('the vote did not open (quorum never met?)');
  }

  console.log(JSON.stringify({ sessionId, pollId, url: `${base}/sessions/${sessionId}` }));
} finally {
  await browser.close();
  clearTimeout(hardStop);
}
