// Shared by setup.mjs and loadtest.mjs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** --name value / --flag pairs over defaults; numbers and booleans keep the type of their default. */
export function parseArgs(argv, defaults) {
  const result = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument ${arg}`);
    }
    const name = arg.slice(2);
    if (!(name in defaults)) {
      throw new Error(`unknown option --${name} (known: ${Object.keys(defaults).map((k) => '--' + k).join(' ')})`);
    }
    if (typeof defaults[name] === 'boolean') {
      result[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) {
      throw new Error(`--${name} needs a value`);
    }
    result[name] = typeof defaults[name] === 'number' ? Number(value) : value;
    if (typeof defaults[name] === 'number' && !Number.isFinite(result[name])) {
      throw new Error(`--${name} needs a number`);
    }
  }
  return result;
}

/** The tools only ever talk to this machine's loopback interface. */
export function requireLoopback(url) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') {
    throw new Error(`--url must be http://127.0.0.1:<port> (got ${url})`);
  }
  return parsed.origin;
}

/** Demo passwords from seeds/accounts.json (the only place they are written down). */
export function seedAccounts() {
  const seeds = JSON.parse(readFileSync(join(repositoryRoot, 'seeds', 'accounts.json'), 'utf8'));
  return {
    memberPassword: seeds.memberPassword,
    passwordOf(userName) {
      const account = seeds.accounts.find((a) => a.userName === userName);
      if (!account) {
        throw new Error(`${userName} is not in seeds/accounts.json; pass its password`);
      }
      return account.password;
    },
  };
}

/** POST /api/auth/login → access token. */
export async function login(base, userName, password) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`sign-in of ${userName} failed: ${response.status} ${body.error ?? ''} ${body.message ?? ''}`);
  }
  return body.accessToken;
}

/** Runs fn over items with at most `limit` at a time; results in item order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) {
    return NaN;
  }
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
