/**
 * `npm run bench:stream`: GET /api/v1/stream with 200 subscribers × 20 targets at one tick a second.
 * The agent side runs in a child process (stream-server.ts); this process holds the subscribers.
 * Per run: the agent's CPU (share of one core) with 200 subscribers and, side by side, with none; the
 * p50/p99/max delay from the tick to the event arriving here. Then 1,000 connections opened and dropped
 * (in batches of 100), twice: the agent's RSS, open handles and subscriber count before and after.
 * Median of RUNS runs. Same machine clock on both sides (Date.now).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RUNS = Number(process.env.RUNS ?? 3);

interface Report {
  cpuMs: number;
  wallMs: number;
  rssMiB: number;
  handles: number;
  subscribers: number;
}

function ask<T>(child: ChildProcess, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ cmd });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function subscribe(base: string, auth: Record<string, string>, onDelay: (ms: number) => void): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/stream`, { headers: auth, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = Date.now();
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (!block.includes('event: load')) continue;
          const data = block.slice(block.indexOf('data: ') + 6);
          onDelay(at - Date.parse((JSON.parse(data) as { at: string }).at));
        }
      });
      resolve({ req, res });
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs: number[]) => pct(xs, 50);

async function run(): Promise<Record<string, number>> {
  const child = fork(join(__dirname, 'stream-server.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { base, auth } = await new Promise<{ base: string; auth: Record<string, string> }>((r) => child.once('message', (m) => r(m as never)));
  await ask(child, 'start-ticks');
  await sleep(1500);
  // Side by side: the agent ticking with no subscribers, then with SUBSCRIBERS.
  await ask(child, 'reset');
  await sleep(SECONDS * 500);
  const idle = await ask<Report>(child, 'report');
  const delays: number[] = [];
  const subs = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(base, auth, (d) => delays.push(d))));
  await sleep(1500);
  delays.length = 0;
  await ask(child, 'reset');
  await sleep(SECONDS * 1000);
  const busy = await ask<Report>(child, 'report');
  for (const s of subs) s.res.destroy();
  await ask(child, 'stop-ticks');
  await sleep(500);

  // Leak check: 1,000 connections opened and dropped, twice.
  const before = await ask<Report>(child, 'report');
  const afterRounds: Report[] = [];
  for (let round = 0; round < 2; round++) {
    for (let batch = 0; batch < 10; batch++) {
      const open = await Promise.all(Array.from({ length: 100 }, () => subscribe(base, auth, () => undefined)));
      for (const s of open) s.res.destroy();
      await sleep(50);
    }
    await sleep(1000);
    afterRounds.push(await ask<Report>(child, 'report'));
  }
  // The next run starts only once this agent has closed its server and exited (no two agents at once).
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.disconnect();
  await exited;
  const cpuShare = (r: Report) => (100 * r.cpuMs) / r.wallMs;
  return {
    cpuIdlePct: cpuShare(idle),
    cpuPct: cpuShare(busy),
    events: delays.length,
    p50Ms: pct(delays, 50),
    p99Ms: pct(delays, 99),
    maxMs: Math.max(...delays),
    rssBeforeMiB: before.rssMiB,
    rssAfter1kMiB: afterRounds[0].rssMiB,
    rssAfter2kMiB: afterRounds[1].rssMiB,
    handlesBefore: before.handles,
    handlesAfter1k: afterRounds[0].handles,
    handlesAfter2k: afterRounds[1].handles,
    subscribersAfter: afterRounds[1].subscribers,
  };
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`RUNS must be a whole number ≥ 1 (got ${process.env.RUNS})`);
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run();
    runs.push(r);
    console.log(`run ${i + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 100) / 100])))}`);
  }
  const keys = Object.keys(runs[0]);
  const med = Object.fromEntries(keys.map((k) => [k, Math.round(median(runs.map((r) => r[k])) * 100) / 100]));
  console.log(`\nGET /api/v1/stream: ${SUBSCRIBERS} subscribers × 20 targets, 1 tick/s, ${SECONDS} s per run, median of ${RUNS} runs`);
  console.log(`| agent CPU (one core), ${SUBSCRIBERS} subscribers | agent CPU, none (same run) | tick → event p50 | p99 | max | events |`);
  console.log(`| ${med.cpuPct} % | ${med.cpuIdlePct} % | ${med.p50Ms} ms | ${med.p99Ms} ms | ${med.maxMs} ms | ${med.events} |`);
  // The spread behind the medians: a loaded machine shows up here first.
  const spread = (k: string) => runs.map((r) => Math.round(r[k] * 10) / 10).join(' / ');
  console.log(`per run: agent CPU ${spread('cpuPct')} %; p99 ${spread('p99Ms')} ms; max ${spread('maxMs')} ms`);
  console.log(
    `1,000 connections opened and dropped, twice: RSS ${med.rssBeforeMiB} → ${med.rssAfter1kMiB} → ${med.rssAfter2kMiB} MiB; handles ${med.handlesBefore} → ${med.handlesAfter1k} → ${med.handlesAfter2k}; subscribers after: ${med.subscribersAfter}`,
  );
}

void main();
