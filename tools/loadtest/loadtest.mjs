#!/usr/bin/env node
// Load test of the live hub (docs/realtime-api.md). N voters and M watchers connect to a running app through
// /hubs/live with the official @microsoft/signalr client; the voters cast in one burst (10 % of them send the same
// ballot twice with the same idempotency key); every watcher records when each "tally" event arrives. Meanwhile every
// watcher connection sends a few bare Echo calls spread over the same period: the round trip of a bare hub call under
// the same load.
//
//   node tools/loadtest/setup.mjs --url http://127.0.0.1:5099            # → {"sessionId":…,"pollId":…}
//   node tools/loadtest/loadtest.mjs --url http://127.0.0.1:5099 --session <id> --poll <id> --voters 150 --watchers 1000
//
// Vote-to-tally latency: accepted ballots are ordered by the time their voter sent them; for the k-th, per watcher,
// latency = the first time that watcher saw a tally with ballots >= k, minus that send time. Percentiles are over
// all (watcher, ballot) pairs. Exit code 0 when the targets hold, 1 when one is missed, 2 on a hard timeout or failure.
import { performance } from 'node:perf_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import signalR from '@microsoft/signalr';
import { login, parseArgs, percentile, pool, requireLoopback, seedAccounts } from './common.mjs';

const args = parseArgs(process.argv.slice(2), {
  url: 'http://127.0.0.1:5080',
  session: 0,
  poll: 0,
  voters: 150,
  watchers: 1000,
  'voter-prefix': 'rep',
  'voter-start': 1,
  password: null,
  'watcher-user': 'resident',
  'watcher-password': null,
  'retry-fraction': 0.1,
  echoes: 3,
  'echo-window': 2000,
  'connect-concurrency': 50,
  'target-p99': 250,
  'target-ratio': 3,
  timeout: 300,
  json: null,
  'server-pid': 0,
  'quiet-wait': 0,
});
if (!(args.session > 0 && args.poll > 0)) {
  console.error('usage: loadtest.mjs --url http://127.0.0.1:<port> --session <id> --poll <id> [--voters 150] [--watchers 1000] (see README.md)');
  process.exit(2);
}

const base = requireLoopback(args.url);
const seeds = seedAccounts();
const memberPassword = args.password ?? seeds.memberPassword;
const watcherPassword = args['watcher-password'] ?? seeds.passwordOf(args['watcher-user']);
const EVENTS = ['session', 'agenda', 'attendance', 'pollOpened', 'tally', 'pollClosed', 'poll', 'proxies'];
const connections = [];
const log = (...parts) => console.log(`[${(performance.now() / 1000).toFixed(1)} s]`, ...parts);

const hardStop = setTimeout(() => {
  console.error(`loadtest: hard timeout of ${args.timeout} s reached`);
  process.exit(2);
}, args.timeout * 1000);

function connect(token) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${base}/hubs/live`, { accessTokenFactory: () => token, skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.Error)
    .build();
  for (const name of EVENTS) {
    connection.on(name, () => {});
  }
  connections.push(connection);
  return connection;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

try {
  // 1. Sign in: every voter (the server hashes each password: a few at a time), one token shared by all watchers.
  const voterNames = Array.from({ length: args.voters }, (_, i) => `${args['voter-prefix']}${String(args['voter-start'] + i).padStart(3, '0')}`);
  let started = performance.now();
  const voterTokens = await pool(voterNames, 4, (name) => login(base, name, memberPassword));
  const watcherToken = await login(base, args['watcher-user'], watcherPassword);
  log(`signed in ${voterTokens.length} voters and ${args['watcher-user']} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // 2. Watchers: connect, listen to tallies, join the session.
  const firstSeen = []; // firstSeen[w][k] = when watcher w first saw a tally with ballots >= k (relative to the poll's ballots at start)
  let baseline = 0;
  let capacity = args.voters;
  started = performance.now();
  const watchers = await pool(Array.from({ length: args.watchers }, (_, i) => i), args['connect-concurrency'], async (w) => {
    const connection = connect(watcherToken);
    const seen = new Float64Array(capacity + 1);
    let upTo = 0;
    let maxBallots = -1;
    let events = 0;
    connection.on('tally', (e) => {
      const now = performance.now();
      if (e.pollId !== args.poll) {
        return;
      }
      events++;
      maxBallots = Math.max(maxBallots, e.ballots);
      const reached = Math.min(capacity, e.ballots - baseline);
      for (let k = upTo + 1; k <= reached; k++) {
        seen[k] = now;
      }
      upTo = Math.max(upTo, reached);
    });
    firstSeen[w] = seen;
    await connection.start();
    const snapshot = await connection.invoke('JoinSession', args.session);
    return { connection, snapshot, stats: () => ({ upTo, maxBallots, events }) };
  });
  log(`${watchers.length} watchers connected and joined in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const snapshot = watchers[0]?.snapshot;
  if (!snapshot?.openPoll || snapshot.openPoll.id !== args.poll) {
    throw new Error(`vote ${args.poll} is not the open vote of session ${args.session} (open: ${snapshot?.openPoll?.id ?? 'none'})`);
  }
  baseline = snapshot.openPoll.ballots;
  if (baseline > 0) {
    console.warn(`warning: the vote already holds ${baseline} ballots; voters who voted before will get AlreadyVoted`);
  }
  const options = snapshot.openPoll.options.length;

  // 3. Voters: connect and join (the snapshot says whether each may vote).
  started = performance.now();
  const voters = await pool(voterTokens, args['connect-concurrency'], async (token, i) => {
    const connection = connect(token);
    await connection.start();
    const joined = await connection.invoke('JoinSession', args.session);
    if (!joined.viewer.hasVote || !joined.viewer.checkedIn) {
      console.warn(`warning: ${voterNames[i]} cannot vote (hasVote ${joined.viewer.hasVote}, checkedIn ${joined.viewer.checkedIn})`);
    }
    return { name: voterNames[i], connection };
  });
  log(`${voters.length} voters connected and joined in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Echoes go over the watchers' connections: SignalR runs one call per connection at a time, so an echo sent on a
  // voter's connection would wait behind that voter's ballot and measure the ballot queue, not the transport.
  const echoers = watchers.map((w) => w.connection);

  // 4. Idle echo: one per watcher connection, spread over a second, before anything else happens.
  const echo = async (connection, bucket) => {
    const payload = `echo-${Math.random().toString(36).slice(2)}`;
    const sent = performance.now();
    try {
      const answer = await connection.invoke('Echo', payload);
      if (answer !== payload) {
        bucket.errors++;
        return;
      }
      bucket.rtt.push({ sent, rtt: performance.now() - sent });
    } catch {
      bucket.errors++;
    }
  };
  const idleEcho = { rtt: [], errors: 0 };
  await Promise.all(echoers.map(async (c) => {
    await sleep(Math.random() * 1000);
    await echo(c, idleEcho);
  }));
  log(`idle echo: ${idleEcho.rtt.length} round trips`);
  await sleep(500);

  // The machine may be shared: optionally wait (up to --quiet-wait s) until other work leaves it at least 80 % idle.
  for (const until = performance.now() + args['quiet-wait'] * 1000; performance.now() < until;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    if ((b.busy - a.busy) / (b.total - a.total) <= 0.2) {
      break;
    }
  }

  // 5. The burst, with echoes from every watcher connection spread over the same period (from 250 ms before the burst).
  const loadEcho = { rtt: [], errors: 0 };
  const burstAt = performance.now() + 250;
  const echoes = Promise.all(echoers.flatMap((c) => Array.from({ length: args.echoes }, async () => {
    await sleep(Math.max(0, burstAt - 250 + Math.random() * args['echo-window'] - performance.now()));
    await echo(c, loadEcho);
  })));
  await sleep(Math.max(0, burstAt - performance.now()));

  const outcomes = { Accepted: 0, Replayed: 0, AlreadyVoted: 0, errors: 0 };
  const errorMessages = new Map();
  const accepted = []; // { sent, voter }
  const expectedCounts = new Array(options).fill(0);
  const retries = Math.round(voters.length * args['retry-fraction']);
  const retrying = new Set(Array.from({ length: retries }, (_, j) => Math.floor((j * voters.length) / retries)));
  const cast = async (voter, choice, key, note) => {
    const sent = performance.now();
    try {
      const result = await voter.connection.invoke('CastBallot', args.poll, [choice], key, null);
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      if (result.outcome === 'Accepted') {
        accepted.push({ sent: note.firstSent ?? sent, voter: voter.name });
      }
    } catch (e) {
      outcomes.errors++;
      const message = String(e.message ?? e).replace(/^.*HubException: /, '');
      errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1);
    }
  };
  const cpuAtBurst = { server: cpuSeconds(args['server-pid']), tool: cpuSeconds(process.pid), machine: machineCpu().busy };
  const burstStarted = performance.now();
  const casts = voters.flatMap((voter, i) => {
    const choice = i % options;
    expectedCounts[choice]++;
    const key = `lt-${args.poll}-${voter.name}-${Math.random().toString(36).slice(2, 10)}`;
    const note = { firstSent: performance.now() };
    const first = cast(voter, choice, key, note);
    if (!retrying.has(i)) {
      return [first];
    }
    // A client that did not hear back in time sends the same ballot again with the same key, 0–50 ms later.
    const again = sleep(Math.random() * 50).then(() => cast(voter, choice, key, note));
    return [first, again];
  });
  await Promise.all(casts);
  const castsDone = performance.now();
  log(`burst: ${casts.length} casts answered in ${(castsDone - burstStarted).toFixed(0)} ms`);

  // 6. Wait until every watcher has seen every accepted ballot (or 15 s), then for the echoes.
  const expected = accepted.length;
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline && watchers.some((w) => w.stats().upTo < expected)) {
    await sleep(20);
  }
  const lastTallySeen = Math.max(...firstSeen.map((seen) => seen[expected] || 0));
  const burstCpu = { server: cpuSeconds(args['server-pid']) - cpuAtBurst.server, tool: cpuSeconds(process.pid) - cpuAtBurst.tool };
  burstCpu.others = machineCpu().busy - cpuAtBurst.machine - burstCpu.server - burstCpu.tool;
  burstCpu.available = (cpus().length * (performance.now() - burstStarted)) / 1000;
  await echoes;

  // 7. The server's own count, read fresh.
  const truth = await voters[0].connection.invoke('JoinSession', args.session);
  const stored = truth.openPoll?.id === args.poll ? truth.openPoll : truth.closedPolls.find((p) => p.id === args.poll);

  // 8. Figures.
  accepted.sort((a, b) => a.sent - b.sent);
  const latencies = [];
  let undelivered = 0;
  for (const seen of firstSeen) {
    for (let k = 1; k <= expected; k++) {
      if (seen[k] > 0) {
        latencies.push(seen[k] - accepted[k - 1].sent);
      } else {
        undelivered++;
      }
    }
  }
  latencies.sort((a, b) => a - b);
  const loadRtt = loadEcho.rtt.map((e) => e.rtt).sort((a, b) => a - b);
  const duringBurst = loadEcho.rtt.filter((e) => e.sent >= burstStarted && e.sent <= lastTallySeen).map((e) => e.rtt).sort((a, b) => a - b);
  const idleRtt = idleEcho.rtt.map((e) => e.rtt).sort((a, b) => a - b);
  const stats = (sorted) => ({ n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) });
  const maxSeen = Math.max(...watchers.map((w) => w.stats().maxBallots));
  const allSawFinal = watchers.every((w) => w.stats().maxBallots === baseline + voters.length);
  const tallyEvents = watchers.map((w) => w.stats().events);
  const result = {
    voters: voters.length,
    watchers: watchers.length,
    retriesSent: retries,
    outcomes,
    errors: Object.fromEntries(errorMessages),
    voteToTallyMs: stats(latencies),
    echoUnderLoadMs: stats(loadRtt),
    echoDuringBurstMs: stats(duringBurst),
    echoIdleMs: stats(idleRtt),
    echoErrors: idleEcho.errors + loadEcho.errors,
    ratioP99: percentile(latencies, 99) / percentile(loadRtt, 99),
    burstAnsweredMs: castsDone - burstStarted,
    lastTallySeenMs: lastTallySeen - burstStarted,
    tallyEventsPerWatcher: { min: Math.min(...tallyEvents), max: Math.max(...tallyEvents) },
    cpuSecondsDuringBurst: burstCpu,
    undeliveredPairs: undelivered,
    ballotsSeenByWatchers: maxSeen - baseline,
    everyWatcherSawFinal: allSawFinal,
    storedBallots: (stored?.ballots ?? NaN) - baseline,
    storedCounts: stored?.counts ?? null,
    expectedCounts: baseline === 0 ? expectedCounts : null,
  };

  const f = (n) => (Number.isFinite(n) ? n.toFixed(1) : String(n));
  console.log('');
  console.log(`voters ${result.voters}, watchers ${result.watchers}, same-key retries ${retries}`);
  console.log(`casts: accepted ${outcomes.Accepted}, replayed ${outcomes.Replayed}, already-voted ${outcomes.AlreadyVoted}, errors ${outcomes.errors}`);
  for (const [message, count] of errorMessages) {
    console.log(`  error ×${count}: ${message}`);
  }
  console.log(`burst answered in ${f(result.burstAnsweredMs)} ms; last watcher saw the final tally ${f(result.lastTallySeenMs)} ms after the burst began`);
  console.log(`vote-to-tally  p50 ${f(result.voteToTallyMs.p50)}  p95 ${f(result.voteToTallyMs.p95)}  p99 ${f(result.voteToTallyMs.p99)}  max ${f(result.voteToTallyMs.max)} ms  (${latencies.length} watcher×ballot pairs)`);
  console.log(`echo (run)     p50 ${f(result.echoUnderLoadMs.p50)}  p95 ${f(result.echoUnderLoadMs.p95)}  p99 ${f(result.echoUnderLoadMs.p99)}  max ${f(result.echoUnderLoadMs.max)} ms  (${loadRtt.length} echoes over ${args['echo-window']} ms around the burst)`);
  console.log(`echo (burst)   p50 ${f(result.echoDuringBurstMs.p50)}  p95 ${f(result.echoDuringBurstMs.p95)}  p99 ${f(result.echoDuringBurstMs.p99)} ms  (${duringBurst.length} echoes sent while ballots were landing)`);
  console.log(`echo (idle)    p50 ${f(result.echoIdleMs.p50)}  p95 ${f(result.echoIdleMs.p95)}  p99 ${f(result.echoIdleMs.p99)} ms`);
  console.log(`ratio p99 vote-to-tally / p99 echo (run): ${f(result.ratioP99)}`);
  console.log(`tally events per watcher: ${result.tallyEventsPerWatcher.min}–${result.tallyEventsPerWatcher.max}`);
  console.log(`CPU seconds from the burst to the last tally: server ${f(burstCpu.server)}, this tool ${f(burstCpu.tool)}, other processes ${f(burstCpu.others)} (of ${f(burstCpu.available)} on ${cpus().length} cores)`);
  console.log(`ballots: seen by watchers ${result.ballotsSeenByWatchers} (every watcher: ${allSawFinal}), stored ${result.storedBallots}, voters ${voters.length}; counts stored ${JSON.stringify(result.storedCounts)} expected ${JSON.stringify(result.expectedCounts)}`);

  const failures = [];
  if (!(result.voteToTallyMs.p99 <= args['target-p99'])) failures.push(`p99 vote-to-tally ${f(result.voteToTallyMs.p99)} ms > ${args['target-p99']} ms`);
  if (!(result.ratioP99 <= args['target-ratio'])) failures.push(`p99 ratio ${f(result.ratioP99)} > ${args['target-ratio']}`);
  if (outcomes.Accepted !== voters.length) failures.push(`accepted ${outcomes.Accepted} ≠ voters ${voters.length}`);
  if (outcomes.Replayed !== retries) failures.push(`replayed ${outcomes.Replayed} ≠ retries ${retries}`);
  if (outcomes.AlreadyVoted !== 0 || outcomes.errors !== 0) failures.push(`already-voted ${outcomes.AlreadyVoted}, errors ${outcomes.errors}`);
  if (result.storedBallots !== voters.length) failures.push(`stored ${result.storedBallots} ballots ≠ voters ${voters.length} (lost or duplicated)`);
  if (result.ballotsSeenByWatchers !== voters.length || !allSawFinal || undelivered > 0) failures.push(`watchers: final tally ${result.ballotsSeenByWatchers}, every watcher ${allSawFinal}, undelivered pairs ${undelivered}`);
  if (result.expectedCounts && JSON.stringify(result.storedCounts) !== JSON.stringify(result.expectedCounts) && result.storedCounts !== null) failures.push('stored counts differ from the ballots cast');
  if (result.echoErrors > 0) failures.push(`${result.echoErrors} echoes failed`);
  result.failures = failures;
  console.log(failures.length === 0 ? 'TARGETS MET' : `TARGETS MISSED: ${failures.join('; ')}`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(result, null, 2));
  }
  process.exitCode = failures.length === 0 ? 0 : 1;
} catch (e) {
  console.error('loadtest failed:', e?.stack ?? e);
  process.exitCode = 2;
} finally {
  await Promise.race([Promise.allSettled(connections.map((c) => c.stop())), sleep(10_000)]);
  clearTimeout(hardStop);
  process.exit(process.exitCode ?? 0);
}
