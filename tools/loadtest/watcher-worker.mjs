// One watcher process of loadtest.mjs (started with child_process.fork; talks to it over IPC only).
// It opens its share of the watcher connections, records every "tally" (arrival time on the machine's clock, ballots),
// sends the echoes it is told to, and samples its own CPU so the coordinator can tell whether it kept up.
import { performance } from 'node:perf_hooks';
import signalR from '@microsoft/signalr';
import { pool } from './common.mjs';

const EVENTS = ['session', 'agenda', 'attendance', 'pollOpened', 'tally', 'pollClosed', 'poll', 'proxies'];
/** Milliseconds since the epoch with sub-millisecond precision: comparable between the processes of one run. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const watchers = []; // { connection, times: number[], ballots: number[], maxBallots }
const cpuSamples = []; // [at, cpu ms]
let sampler = null;
let final = Infinity;
let poll = 0;

const sample = () => {
  const usage = process.cpuUsage();
  cpuSamples.push([now(), (usage.user + usage.system) / 1000]);
};

async function echo(connection, bucket) {
  const payload = `echo-${Math.random().toString(36).slice(2)}`;
  const sent = now();
  try {
    const answer = await connection.invoke('Echo', payload);
    if (answer !== payload) {
      bucket.errors++;
      return;
    }
    bucket.rtt.push([sent, now() - sent]);
  } catch {
    bucket.errors++;
  }
}

function checkFinal() {
  if (final !== Infinity && watchers.every((w) => w.maxBallots >= final)) {
    process.send({ type: 'final', at: now() });
    final = Infinity;
  }
}

const handlers = {
  async start(m) {
    poll = m.poll;
    let first = null;
    await pool(Array.from({ length: m.watchers }, (_, i) => i), m.connectConcurrency, async (i) => {
      const connection = new signalR.HubConnectionBuilder()
        .withUrl(`${m.base}/hubs/live`, { accessTokenFactory: () => m.token, skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
        .configureLogging(signalR.LogLevel.Error)
        .build();
      for (const name of EVENTS) {
        connection.on(name, () => {});
      }
      const watcher = { connection, times: [], ballots: [], maxBallots: -1 };
      connection.on('tally', (e) => {
        const at = now();
        if (e.pollId !== poll) {
          return;
        }
        watcher.times.push(at);
        watcher.ballots.push(e.ballots);
        if (e.ballots > watcher.maxBallots) {
          watcher.maxBallots = e.ballots;
          if (e.ballots >= final) {
            checkFinal();
          }
        }
      });
      watchers.push(watcher);
      await connection.start();
      const snapshot = await connection.invoke('JoinSession', m.session);
      if (i === 0) {
        first = snapshot;
      }
    });
    return { type: 'ready', snapshot: first, watchers: watchers.length };
  },

  async idleEcho() {
    const bucket = { rtt: [], errors: 0 };
    await Promise.all(watchers.map(async (w) => {
      await sleep(Math.random() * 1000);
      await echo(w.connection, bucket);
    }));
    return { type: 'idleEchoDone', ...bucket };
  },

  async run(m) {
    final = m.final;
    const bucket = { rtt: [], errors: 0 };
    // CPU every 100 ms from a little before the first ballot (the coordinator interpolates the run's window).
    await sleep(Math.max(0, m.t0 - 200 - now()));
    sample();
    sampler = setInterval(sample, 100);
    const echoes = Promise.all(watchers.flatMap((w) => Array.from({ length: m.echoes }, async () => {
      await sleep(Math.max(0, m.echoFrom + Math.random() * m.echoWindow - now()));
      await echo(w.connection, bucket);
    })));
    checkFinal();
    await echoes;
    return { type: 'echoesDone', ...bucket };
  },

  async report() {
    clearInterval(sampler);
    sample();
    return {
      type: 'report',
      cpuSamples,
      watchers: watchers.map((w) => ({ times: w.times, ballots: w.ballots, maxBallots: w.maxBallots })),
    };
  },

  async snapshot(m) {
    return { type: 'snapshot', snapshot: await watchers[0].connection.invoke('JoinSession', m.session) };
  },

  async stop() {
    await Promise.race([Promise.allSettled(watchers.map((w) => w.connection.stop())), sleep(10_000)]);
    process.exit(0);
  },
};

process.on('message', async (m) => {
  try {
    const answer = await handlers[m.type](m);
    if (answer) {
      process.send(answer);
    }
  } catch (e) {
    process.send({ type: 'error', message: String(e?.stack ?? e) });
  }
});
process.on('disconnect', () => process.exit(0));
