// A burst of ballots through nginx while one instance is killed (kill -9) at a chosen moment: every voter keeps its
// idempotency key and retries on a new connection (nginx sends it to the survivor) until the server answers.
//   node tools/faults/burst.mjs --url http://127.0.0.1:8088 --session 9 --poll 1 --voters 150 --kill-after 700 \
//     --kill-command "deploy/local-cluster.sh kill 2"
// Prints one JSON line: what each voter chose and was told, reconnects, and when the kill happened.
import { createRequire } from 'node:module';
import { exec } from 'node:child_process';
import { parseArgs, requireLoopback, seedAccounts, login, pool } from '../loadtest/common.mjs';

const require = createRequire(new URL('../loadtest/package.json', import.meta.url));
const signalR = require('@microsoft/signalr');

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:8088',
  session: null,
  poll: null,
  voters: 150,
  'voter-prefix': 'rep',
  'voter-start': 1,
  'kill-after': 500,
  'kill-command': null,
  'answer-timeout': 60,
  timeout: 300,
});
const base = requireLoopback(args.url);
const pollId = Number(args.poll);
const password = seedAccounts().memberPassword;
const hardStop = setTimeout(() => { console.error(`burst: gave up after ${args.timeout} s`); process.exit(2); }, args.timeout * 1000);

const names = Array.from({ length: Number(args.voters) }, (_, i) => `${args['voter-prefix']}${String(Number(args['voter-start']) + i).padStart(3, '0')}`);

async function connect(token) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${base}/hubs/live`, { accessTokenFactory: () => token, skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const name of ['tally', 'pollOpened', 'pollClosed', 'session', 'attendance', 'agenda', 'agendaChanged', 'poll', 'proxies']) {
    connection.on(name, () => {});
  }
  await connection.start();
  return connection;
}

async function withRetry(fn, deadlineMs) {
  let lastError;
  while (Date.now() < deadlineMs) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  throw lastError ?? new Error('no answer');
}

// Sign in and connect everyone before the burst (through nginx: the connections spread over both instances).
const voters = await pool(names, 20, async (name, index) => {
  const token = await withRetry(() => login(base, name, password), Date.now() + 60_000);
  const connection = await withRetry(() => connect(token), Date.now() + 60_000);
  return { name, token, connection, choice: index % 3, key: `fault-${pollId}-${name}-${Date.now()}`, attempts: 0, reconnects: 0 };
});

let killedAt = null;
const started = Date.now();
const killer = args['kill-command']
  ? new Promise((resolve) => setTimeout(() => {
    killedAt = Date.now() - started;
    // Not execSync: blocking the event loop for the command's run (seconds on a loaded machine) stamped answers that
    // had already arrived with a time after the kill. A failed command is reported by the checks.
    exec(args['kill-command'], () => resolve());
  }, Number(args['kill-after'])))
  : Promise.resolve();

const answers = await Promise.all(voters.map(async (voter) => {
  const deadline = Date.now() + Number(args['answer-timeout']) * 1000;
  while (Date.now() < deadline) {
    voter.attempts++;
    try {
      if (voter.connection.state !== signalR.HubConnectionState.Connected) {
        voter.reconnects++;
        await voter.connection.stop().catch(() => {});
        voter.connection = await connect(voter.token);
      }
      const result = await voter.connection.invoke('CastBallot', pollId, [voter.choice], voter.key, null);
      return { name: voter.name, choice: voter.choice, outcome: result.outcome, attempts: voter.attempts, reconnects: voter.reconnects, at: Date.now() - started };
    } catch (error) {
      const message = String(error?.message ?? error);
      // A refusal of the vote or the ballot is an answer (e.g. "HubException: Poll.Closed: …"); a dropped connection or
      // an unexpected server error is not: the same key is sent again.
      const code = /HubException: ((?:Poll|Ballot|Session)\.[A-Za-z.]+):/.exec(message)?.[1];
      if (code) {
        return { name: voter.name, choice: voter.choice, outcome: code, attempts: voter.attempts, reconnects: voter.reconnects, at: Date.now() - started };
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
    }
  }
  return { name: voter.name, choice: voter.choice, outcome: 'NoAnswer', attempts: voter.attempts, reconnects: voter.reconnects, at: Date.now() - started };
}));
await killer;
await Promise.all(voters.map((v) => v.connection.stop().catch(() => {})));
clearTimeout(hardStop);

const acknowledged = answers.filter((a) => a.outcome === 'Accepted' || a.outcome === 'Replayed');
console.log(JSON.stringify({
  pollId,
  voters: answers.length,
  acknowledged: acknowledged.length,
  outcomes: answers.reduce((m, a) => ({ ...m, [a.outcome]: (m[a.outcome] ?? 0) + 1 }), {}),
  reconnected: answers.filter((a) => a.reconnects > 0).length,
  killedAtMs: killedAt,
  lastAnswerMs: Math.max(...answers.map((a) => a.at)),
  answers: answers.map((a) => [a.name, a.choice, a.outcome]),
}));
