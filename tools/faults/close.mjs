// The chair closes the open vote of a session through the UI (the hub has no chair methods), through nginx.
//   node tools/faults/close.mjs --url http://127.0.0.1:8088 --session 9
import { createRequire } from 'node:module';
import { parseArgs, requireLoopback, seedAccounts } from '../loadtest/common.mjs';

const require = createRequire(new URL('../loadtest/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:8088',
  session: null,
  chair: 'chair',
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  timeout: 120,
});
const base = requireLoopback(args.url);
const hardStop = setTimeout(() => { console.error(`close: gave up after ${args.timeout} s`); process.exit(2); }, args.timeout * 1000);
const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  await page.goto('/account/login');
  await page.fill('#username', args.chair);
  await page.fill('#password', seedAccounts().passwordOf(args.chair));
  await byTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/account/login'));
  await page.goto(`/sessions/${args.session}`);
  await byTestId('open-poll').locator('[data-testid="close-poll"]').click();
  await byTestId('close-poll-confirm').click();
  await byTestId('open-poll').waitFor({ state: 'detached' });
  console.log(JSON.stringify({ closed: true }));
} finally {
  await browser.close();
  clearTimeout(hardStop);
}
