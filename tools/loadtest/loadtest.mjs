#!/usr/bin/env node
// Load test of the live hub (docs/realtime-api.md, issue 14). N voters and M watchers connect to a running app through
// /hubs/live with the official @microsoft/signalr client. The voters cast along an arrival profile (all at once, spread
// over 1 s or 10 s, or a meeting: most within 5 s, stragglers over 30 s); 10 % send the same ballot twice with the same
// idempotency key. The watchers live in --workers child processes (watcher-worker.mjs) so that receiving a thousand
// connections' tallies does not saturate one Node thread; each process samples its own CPU, and a run in which any of
// them used more than --max-tool-cpu of a core is reported INVALID: its latencies measure the tool, not the server.
//
//   node tools/loadtest/setup.mjs --url http://127.0.0.1:5099            # → {"sessionId":…,"pollId":…}
//   node tools/loadtest/loadtest.mjs --url http://127.0.0.1:5099 --session <id> --poll <id> --profile meeting
//
// Vote-to-tally latency: every accepted ballot's answer carries the ballot count read after its commit (b); a watcher
// has seen that ballot when it sees a tally with ballots >= b. Latency = that moment minus the moment the voter sent the
// ballot (ack-to-tally: minus the moment the answer arrived; it can be negative when the tally overtakes the answer).
// Percentiles are over all (watcher, ballot) pairs. Exit code 0 when the targets hold on a valid run, 1 when one is
// missed, 3 when the run is invalid (the tool was saturated), 2 on a hard timeout or failure.
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import signalR from '@microsoft/signalr';
import { login, parseArgs, percentile, pool, requireLoopback, seedAccounts } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:5080',
  session: 0,
  poll: 0,
  voters: 150,
  watchers: 1000,
  workers: 4,
  profile: 'burst',
  seed: 1,
  'voter-prefix': 'rep',
  'voter-start': 1,
  password: null,
  'watcher-user': 'resident',
  'watcher-password': null,
  'retry-fraction': 0.1,
  echoes: 1,
  'echo-window': 0,
  'connect-concurrency': 25,
  'target-p99': 0,
  'target-ratio': 3,
  'max-tool-cpu': 0.8,
  timeout: 300,
  json: null,
  'server-pid': '',
  'quiet-wait': 0,
});
if (!(args.session > 0 && args.poll > 0)) {
  console.error('usage: loadtest.mjs --url http://127.0.0.1:<port> --session <id> --poll <id> [--profile burst|1s|10s|meeting|uniform:<ms>] (see README.md)');
  process.exit(2);
}

/** Seeded PRNG (mulberry32): the same --seed gives the same arrivals. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets in ms from the start of the run at which each voter casts, in voter order, and the profile's length. */
export function arrivals(profile, n, seed) {
  const next = random(seed);
  const uniform = (ms) => Array.from({ length: n }, () => next() * ms);
  if (profile === 'burst') return { offsets: new Array(n).fill(0), span: 0 };
  if (profile === '1s') return { offsets: uniform(1000), span: 1000 };
  if (profile === '10s') return { offsets: uniform(10_000), span: 10_000 };
  if (profile === 'meeting') {
    // 85 % within the first 5 s after the vote opens, the other 15 % straggle in over the following 25 s.
    const early = Math.round(n * 0.85);
    const offsets = Array.from({ length: n }, (_, i) => (i < early ? next() * 5000 : 5000 + next() * 25_000));
    // shuffle which voter is early, deterministically
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [offsets[i], offsets[j]] = [offsets[j], offsets[i]];
    }
    return { offsets, span: 30_000 };
  }
  const custom = /^uniform:(\d+)$/.exec(profile);
  if (custom) return { offsets: uniform(Number(custom[1])), span: Number(custom[1]) };
  throw new Error(`unknown --profile ${profile} (burst, 1s, 10s, meeting, uniform:<ms>)`);
}

const base = requireLoopback(args.url);
const seeds = seedAccounts();
const memberPassword = args.password ?? seeds.memberPassword;
const watcherPassword = args['watcher-password'] ?? seeds.passwordOf(args['watcher-user']);
const { offsets, span } = arrivals(args.profile, args.voters, args.seed);
const targetP99 = args['target-p99'] || (args.profile === 'burst' ? 250 : 500);
const echoWindow = args['echo-window'] || Math.max(2000, span + 1750);
const EVENTS = ['session', 'agenda', 'attendance', 'pollOpened', 'tally', 'pollClosed', 'poll', 'proxies'];
const connections = [];
const children = [];
const now = () => performance.timeOrigin + performance.now();
const t00 = now();
const log = (...parts) => console.log(`[${((now() - t00) / 1000).toFixed(1)} s]`, ...parts);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const hardStop = setTimeout(() => {
  console.error(`loadtest: hard timeout of ${args.timeout} s reached`);
  for (const child of children) child.process.kill();
  process.exit(2);
}, args.timeout * 1000);

/** Busy and total CPU seconds of the whole machine so far (Linux /proc/stat), or NaN. */
function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: (total - fields[3] - fields[4]) / 100, total: total / 100 };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** CPU seconds used so far by a process on this machine (Linux /proc), or NaN. */
/** CPU seconds (user + system) of the server: one process id, or several separated by commas (instances behind nginx). */
function cpuSeconds(pids) {
  const list = String(pids).split(',').filter((p) => p.trim() !== '');
  if (list.length === 0) {
    return NaN;
  }
  return list.reduce((sum, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid.trim()}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return NaN;
    }
  }, 0);
}

/** A watcher process and a way to wait for its next message of a type. */
function startWorker(index) {
  const child = fork(new URL('./watcher-worker.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  const worker = { index, process: child, finalAt: null };
  child.on('message', (m) => {
    if (m.type === 'error') {
      console.error(`worker ${index}: ${m.message}`);
      for (const reject of [...waiting.values()].map((w) => w.reject)) reject(new Error(`worker ${index} failed`));
      waiting.clear();
      return;
    }
    if (m.type === 'final') {
      worker.finalAt = m.at;
      return;
    }
    const w = waiting.get(m.type);
    if (w) {
      waiting.delete(m.type);
      w.resolve(m);
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`worker ${index} exited (${code})`));
    waiting.clear();
  });
  worker.ask = (message, reply) => new Promise((resolve, reject) => {
    waiting.set(reply, { resolve, reject });
    child.send(message);
  });
  children.push(worker);
  return worker;
}

/** Cumulative CPU ms of a sampled process at time t, interpolated between samples [[at, cpuMs]]. */
function cpuAt(samples, t) {
  if (samples.length === 0) return NaN;
  if (t <= samples[0][0]) return samples[0][1];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i][0] >= t) {
      const [a, ca] = samples[i - 1];
      const [b, cb] = samples[i];
      return ca + ((cb - ca) * (t - a)) / (b - a || 1);
    }
  }
  return samples.at(-1)[1];
}

/** Share of one core a process used over [from, to], and the highest share over any 1 s slice inside it. */
function cpuShare(samples, from, to) {
  const wall = to - from;
  const busy = cpuAt(samples, to) - cpuAt(samples, from);
  let peak = busy / wall;
  if (wall > 1000) {
    for (let t = from; t + 1000 <= to; t += 100) {
      peak = Math.max(peak, (cpuAt(samples, t + 1000) - cpuAt(samples, t)) / 1000);
    }
  }
  return { seconds: busy / 1000, share: busy / wall, peak };
}

try {
  const loadBefore = loadavg();
  // 1. Sign in: every voter (the server hashes each password: a few at a time), one token shared by all watchers.
  const voterNames = Array.from({ length: args.voters }, (_, i) => `${args['voter-prefix']}${String(args['voter-start'] + i).padStart(3, '0')}`);
  let started = now();
  const voterTokens = await pool(voterNames, 4, (name) => login(base, name, memberPassword));
  const watcherToken = await login(base, args['watcher-user'], watcherPassword);
  log(`signed in ${voterTokens.length} voters and ${args['watcher-user']} in ${((now() - started) / 1000).toFixed(1)} s`);

  // 2. Watchers, spread over the worker processes: connect, listen to tallies, join the session.
  started = now();
  const workerCount = Math.max(1, Math.min(args.workers, args.watchers));
  const workers = Array.from({ length: workerCount }, (_, i) => startWorker(i));
  const shares = workers.map((_, i) => Math.floor(args.watchers / workerCount) + (i < args.watchers % workerCount ? 1 : 0));
  const ready = await Promise.all(workers.map((w, i) => w.ask({
    type: 'start', base, token: watcherToken, session: args.session, poll: args.poll, watchers: shares[i],
    connectConcurrency: Math.max(1, Math.ceil(args['connect-concurrency'] / workerCount)),
  }, 'ready')));
  log(`${args.watchers} watchers in ${workerCount} processes (${shares.join(' + ')}) connected and joined in ${((now() - started) / 1000).toFixed(1)} s`);

  const snapshot = ready[0].snapshot;
  if (!snapshot?.openPoll || snapshot.openPoll.id !== args.poll) {
    throw new Error(`vote ${args.poll} is not the open vote of session ${args.session} (open: ${snapshot?.openPoll?.id ?? 'none'})`);
  }
  const baseline = snapshot.openPoll.ballots;
  if (baseline > 0) {
    console.warn(`warning: the vote already holds ${baseline} ballots; voters who voted before will get AlreadyVoted`);
  }
  const options = snapshot.openPoll.options.length;

  // 3. Voters (in this process): connect and join (the snapshot says whether each may vote).
  started = now();
  const voters = await pool(voterTokens, args['connect-concurrency'], async (token, i) => {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(`${base}/hubs/live`, { accessTokenFactory: () => token, skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
      .configureLogging(signalR.LogLevel.Error)
      .build();
    for (const name of EVENTS) connection.on(name, () => {});
    connections.push(connection);
    await connection.start();
    const joined = await connection.invoke('JoinSession', args.session);
    if (!joined.viewer.hasVote || !joined.viewer.checkedIn) {
      console.warn(`warning: ${voterNames[i]} cannot vote (hasVote ${joined.viewer.hasVote}, checkedIn ${joined.viewer.checkedIn})`);
    }
    return { name: voterNames[i], connection };
  });
  log(`${voters.length} voters connected and joined in ${((now() - started) / 1000).toFixed(1)} s`);

  // 4. Idle echo: one per watcher connection, spread over a second, before anything else happens.
  const idle = await Promise.all(workers.map((w) => w.ask({ type: 'idleEcho' }, 'idleEchoDone')));
  const idleRtt = idle.flatMap((r) => r.rtt.map(([, rtt]) => rtt)).sort((a, b) => a - b);
  log(`idle echo: ${idleRtt.length} round trips`);
  await sleep(500);

  // The machine may be shared: optionally wait (up to --quiet-wait s) until other work leaves it at least 80 % idle.
  const quietStarted = now();
  let quiet = args['quiet-wait'] === 0;
  for (const until = now() + args['quiet-wait'] * 1000; now() < until;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    if ((b.busy - a.busy) / (b.total - a.total) <= 0.2) {
      quiet = true;
      break;
    }
  }
  const quietWaited = (now() - quietStarted) / 1000;
  const loadAtStart = loadavg();

  // 5. The run: ballots along the profile from t0, echoes from every watcher connection over the same period.
  const t0 = now() + 400;
  const echoRuns = workers.map((w) => w.ask({ type: 'run', t0, final: baseline + voters.length, echoes: args.echoes, echoFrom: t0 - 250, echoWindow }, 'echoesDone'));
  const ownCpu = [];
  const sampleOwn = () => {
    const u = process.cpuUsage();
    ownCpu.push([now(), (u.user + u.system) / 1000]);
  };
  await sleep(Math.max(0, t0 - 200 - now()));
  sampleOwn();
  const ownSampler = setInterval(sampleOwn, 100);
  await sleep(Math.max(0, t0 - now()));
  const cpuAtStart = { server: cpuSeconds(args['server-pid']), machine: machineCpu() };

  const outcomes = { Accepted: 0, Replayed: 0, AlreadyVoted: 0, errors: 0 };
  const errorMessages = new Map();
  const accepted = []; // { sent, ack, ballots, voter }
  const expectedCounts = new Array(options).fill(0);
  const retries = Math.round(voters.length * args['retry-fraction']);
  const retryNext = random(args.seed + 1);
  const retrying = new Set(Array.from({ length: retries }, (_, j) => Math.floor((j * voters.length) / retries)));
  const cast = async (voter, choice, key, note) => {
    const sent = now();
    note.firstSent ??= sent;
    try {
      const result = await voter.connection.invoke('CastBallot', args.poll, [choice], key, null);
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      if (result.outcome === 'Accepted') {
        accepted.push({ sent: note.firstSent, ack: now(), ballots: result.ballots, voter: voter.name });
      }
    } catch (e) {
      outcomes.errors++;
      const message = String(e.message ?? e).replace(/^.*HubException: /, '');
      errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1);
    }
  };
  const casts = voters.flatMap((voter, i) => {
    const choice = i % options;
    expectedCounts[choice]++;
    const key = `lt-${args.poll}-${voter.name}-${Math.random().toString(36).slice(2, 10)}`;
    const note = {};
    const at = t0 + offsets[i];
    const first = sleep(Math.max(0, at - now())).then(() => cast(voter, choice, key, note));
    if (!retrying.has(i)) {
      return [first];
    }
    // A client that did not hear back in time sends the same ballot again with the same key, 0–50 ms later.
    const again = sleep(Math.max(0, at + retryNext() * 50 - now())).then(() => cast(voter, choice, key, note));
    return [first, again];
  });
  await Promise.all(casts);
  const castsDone = now();
  log(`${args.profile}: ${casts.length} casts answered ${(castsDone - t0).toFixed(0)} ms after the first was due`);

  // 6. Wait until every worker reports that all its watchers saw the final count (or 15 s), then for the echoes.
  const deadline = now() + 15_000;
  while (now() < deadline && workers.some((w) => w.finalAt === null)) {
    await sleep(20);
  }
  const end = workers.every((w) => w.finalAt !== null) ? Math.max(castsDone, ...workers.map((w) => w.finalAt)) : now();
  const serverCpu = cpuSeconds(args['server-pid']) - cpuAtStart.server;
  const machineBusy = machineCpu().busy - cpuAtStart.machine.busy;
  const echoResults = await Promise.all(echoRuns);
  sampleOwn();
  clearInterval(ownSampler);
  const reports = await Promise.all(workers.map((w) => w.ask({ type: 'report' }, 'report')));

  // 7. The server's own count, read fresh.
  const truth = await voters[0].connection.invoke('JoinSession', args.session);
  const stored = truth.openPoll?.id === args.poll ? truth.openPoll : truth.closedPolls.find((p) => p.id === args.poll);

  // 8. Figures.
  accepted.sort((a, b) => a.ballots - b.ballots);
  const voteToTally = [];
  const ackToTally = [];
  let undelivered = 0;
  const tallyEvents = [];
  let everyWatcherSawFinal = true;
  let maxSeen = -1;
  for (const report of reports) {
    for (const w of report.watchers) {
      tallyEvents.push(w.times.length);
      maxSeen = Math.max(maxSeen, w.maxBallots);
      everyWatcherSawFinal &&= w.maxBallots === baseline + voters.length;
      // Walk the ballots (ascending count) and the watcher's tallies (arrival order) together.
      let j = 0;
      let reached = -1;
      let reachedAt = 0;
      for (const ballot of accepted) {
        while (reached < ballot.ballots && j < w.times.length) {
          if (w.ballots[j] > reached) {
            reached = w.ballots[j];
            reachedAt = w.times[j];
          }
          j++;
        }
        if (reached >= ballot.ballots) {
          voteToTally.push(reachedAt - ballot.sent);
          ackToTally.push(reachedAt - ballot.ack);
        } else {
          undelivered++;
        }
      }
    }
  }
  voteToTally.sort((a, b) => a - b);
  ackToTally.sort((a, b) => a - b);
  // The cast's own round trip (sent → answer) of each accepted ballot: the part of vote-to-tally before the fan-out.
  const castRtt = accepted.map((b) => b.ack - b.sent).sort((a, b) => a - b);
  const runEcho = echoResults.flatMap((r) => r.rtt);
  const runRtt = runEcho.map(([, rtt]) => rtt).sort((a, b) => a - b);
  const activeRtt = runEcho.filter(([sent]) => sent >= t0 && sent <= end).map(([, rtt]) => rtt).sort((a, b) => a - b);
  const stats = (sorted) => ({ n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) });

  const processes = [
    { name: 'coordinator (voters)', pid: process.pid, watchers: 0, ...cpuShare(ownCpu, t0, end) },
    ...reports.map((r, i) => ({ name: `watchers ${i + 1}`, pid: workers[i].process.pid, watchers: shares[i], ...cpuShare(r.cpuSamples, t0, end) })),
  ];
  const toolCpu = processes.reduce((sum, p) => sum + p.seconds, 0);
  const saturated = processes.filter((p) => !(p.share <= args['max-tool-cpu']) || !(p.peak <= args['max-tool-cpu']));
  const result = {
    profile: args.profile,
    seed: args.seed,
    voters: voters.length,
    watchers: args.watchers,
    workers: workerCount,
    retriesSent: retries,
    outcomes,
    errors: Object.fromEntries(errorMessages),
    voteToTallyMs: stats(voteToTally),
    ackToTallyMs: stats(ackToTally),
    castRoundTripMs: stats(castRtt),
    echoRunMs: stats(runRtt),
    echoActiveMs: stats(activeRtt),
    echoIdleMs: stats(idleRtt),
    echoErrors: idle.reduce((s, r) => s + r.errors, 0) + echoResults.reduce((s, r) => s + r.errors, 0),
    ratioP99: percentile(voteToTally, 99) / percentile(runRtt, 99),
    castsAnsweredMs: castsDone - t0,
    lastTallySeenMs: end - t0,
    tallyEventsPerWatcher: { min: Math.min(...tallyEvents), max: Math.max(...tallyEvents) },
    cpu: {
      windowSeconds: (end - t0) / 1000,
      server: serverCpu,
      tool: toolCpu,
      others: machineBusy - serverCpu - toolCpu,
      cores: cpus().length,
      processes,
    },
    load: { before: loadBefore, atStart: loadAtStart, after: loadavg(), quiet, quietWaitedSeconds: quietWaited },
    valid: saturated.length === 0,
    undeliveredPairs: undelivered,
    ballotsSeenByWatchers: maxSeen - baseline,
    everyWatcherSawFinal,
    storedBallots: (stored?.ballots ?? NaN) - baseline,
    storedCounts: stored?.counts ?? null,
    expectedCounts: baseline === 0 ? expectedCounts : null,
  };

  const f = (n) => (Number.isFinite(n) ? n.toFixed(1) : String(n));
  const l = (a) => a.map((x) => x.toFixed(2)).join(' ');
  console.log('');
  console.log(`profile ${args.profile} (seed ${args.seed}), voters ${result.voters}, watchers ${result.watchers} in ${workerCount} processes, same-key retries ${retries}`);
  console.log(`load average before ${l(loadBefore)}, at the start ${l(loadAtStart)}, after ${l(result.load.after)}; quiet-wait ${f(quietWaited)} s${quiet ? '' : ' (never quiet)'}`);
  console.log(`casts: accepted ${outcomes.Accepted}, replayed ${outcomes.Replayed}, already-voted ${outcomes.AlreadyVoted}, errors ${outcomes.errors}`);
  for (const [message, count] of errorMessages) console.log(`  error ×${count}: ${message}`);
  console.log(`casts answered ${f(result.castsAnsweredMs)} ms after the first was due; last watcher saw the final tally at ${f(result.lastTallySeenMs)} ms`);
  console.log(`vote-to-tally  p50 ${f(result.voteToTallyMs.p50)}  p95 ${f(result.voteToTallyMs.p95)}  p99 ${f(result.voteToTallyMs.p99)}  max ${f(result.voteToTallyMs.max)} ms  (${voteToTally.length} watcher×ballot pairs)`);
  console.log(`cast (to ack)  p50 ${f(result.castRoundTripMs.p50)}  p95 ${f(result.castRoundTripMs.p95)}  p99 ${f(result.castRoundTripMs.p99)}  max ${f(result.castRoundTripMs.max)} ms  (accepted ballots: sent → answer)`);
  console.log(`ack-to-tally   p50 ${f(result.ackToTallyMs.p50)}  p95 ${f(result.ackToTallyMs.p95)}  p99 ${f(result.ackToTallyMs.p99)}  max ${f(result.ackToTallyMs.max)} ms`);
  console.log(`echo (run)     p50 ${f(result.echoRunMs.p50)}  p95 ${f(result.echoRunMs.p95)}  p99 ${f(result.echoRunMs.p99)}  max ${f(result.echoRunMs.max)} ms  (${runRtt.length} echoes over ${echoWindow} ms)`);
  console.log(`echo (active)  p50 ${f(result.echoActiveMs.p50)}  p95 ${f(result.echoActiveMs.p95)}  p99 ${f(result.echoActiveMs.p99)} ms  (${activeRtt.length} sent between the first ballot and the last tally)`);
  console.log(`echo (idle)    p50 ${f(result.echoIdleMs.p50)}  p95 ${f(result.echoIdleMs.p95)}  p99 ${f(result.echoIdleMs.p99)} ms`);
  console.log(`ratio p99 vote-to-tally / p99 echo (run): ${f(result.ratioP99)}`);
  console.log(`tally events per watcher: ${result.tallyEventsPerWatcher.min}–${result.tallyEventsPerWatcher.max}`);
  console.log(`CPU seconds over the ${f(result.cpu.windowSeconds)} s from the first ballot to the last tally: server ${f(serverCpu)}, tool ${f(toolCpu)}, other processes ${f(result.cpu.others)} (of ${f(result.cpu.windowSeconds * result.cpu.cores)} on ${result.cpu.cores} cores)`);
  for (const p of processes) {
    console.log(`  ${p.name.padEnd(22)} pid ${String(p.pid).padEnd(7)} ${String(p.watchers).padStart(4)} watchers  ${p.seconds.toFixed(2)} s CPU = ${(p.share * 100).toFixed(0)} % of a core, busiest 1 s ${(p.peak * 100).toFixed(0)} %`);
  }
  console.log(`ballots: seen by watchers ${result.ballotsSeenByWatchers} (every watcher: ${everyWatcherSawFinal}), stored ${result.storedBallots}, voters ${voters.length}; counts stored ${JSON.stringify(result.storedCounts)} expected ${JSON.stringify(result.expectedCounts)}`);

  const failures = [];
  if (!(result.voteToTallyMs.p99 <= targetP99)) failures.push(`p99 vote-to-tally ${f(result.voteToTallyMs.p99)} ms > ${targetP99} ms`);
  if (!(result.ratioP99 <= args['target-ratio'])) failures.push(`p99 ratio ${f(result.ratioP99)} > ${args['target-ratio']}`);
  if (outcomes.Accepted !== voters.length) failures.push(`accepted ${outcomes.Accepted} ≠ voters ${voters.length}`);
  if (outcomes.Replayed !== retries) failures.push(`replayed ${outcomes.Replayed} ≠ retries ${retries}`);
  if (outcomes.AlreadyVoted !== 0 || outcomes.errors !== 0) failures.push(`already-voted ${outcomes.AlreadyVoted}, errors ${outcomes.errors}`);
  if (result.storedBallots !== voters.length) failures.push(`stored ${result.storedBallots} ballots ≠ voters ${voters.length} (lost or duplicated)`);
  if (result.ballotsSeenByWatchers !== voters.length || !everyWatcherSawFinal || undelivered > 0) failures.push(`watchers: final tally ${result.ballotsSeenByWatchers}, every watcher ${everyWatcherSawFinal}, undelivered pairs ${undelivered}`);
  if (result.expectedCounts && result.storedCounts !== null && JSON.stringify(result.storedCounts) !== JSON.stringify(result.expectedCounts)) failures.push('stored counts differ from the ballots cast');
  if (result.echoErrors > 0) failures.push(`${result.echoErrors} echoes failed`);
  result.targetP99 = targetP99;
  result.failures = failures;
  console.log(failures.length === 0 ? 'TARGETS MET' : `TARGETS MISSED: ${failures.join('; ')}`);
  if (!result.valid) {
    console.log(`RUN INVALID: the tool was saturated (${saturated.map((p) => `${p.name} ${(Math.max(p.share, p.peak) * 100).toFixed(0)} %`).join(', ')} > ${args['max-tool-cpu'] * 100} % of a core)`);
  }
  // Not a reason to discard a run (the server shared the machine just as much), but it says what the figures measured.
  result.machineShare = { others: result.cpu.others / (result.cpu.windowSeconds * result.cpu.cores) };
  if (result.machineShare.others > 0.25) {
    console.log(`MACHINE BUSY: other processes took ${(result.machineShare.others * 100).toFixed(0)} % of the ${result.cpu.cores} cores during the run`);
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(result, null, 2));
  }
  process.exitCode = !result.valid ? 3 : failures.length === 0 ? 0 : 1;
} catch (e) {
  console.error('loadtest failed:', e?.stack ?? e);
  process.exitCode = 2;
} finally {
  await Promise.race([Promise.allSettled([
    ...connections.map((c) => c.stop()),
    ...children.map((w) => new Promise((resolve) => {
      w.process.once('exit', resolve);
      if (w.process.connected) w.process.send({ type: 'stop' });
      else resolve();
    })),
  ]), sleep(12_000)]);
  for (const w of children) if (w.process.exitCode === null) w.process.kill();
  clearTimeout(hardStop);
  process.exit(process.exitCode ?? 0);
}
