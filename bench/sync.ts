/**
 * Sync cost over a simulated year of reading, through the real thing: events of two devices
 * (bench/lib/sync-year.ts), sealed with the real key derivation and AES-GCM, deflated,
 * uploaded to a real WebDAV server on 127.0.0.1 (webdav-server) with the extension's own
 * client, read back, checked and merged.
 *
 *   npm run bench:sync -- [--days 365] [--pages 30] [--runs 5] [--iterations 600000] [--json out.json]
 *
 * 1. The year, lived: each day the laptop, then the desktop, syncs once: uploads its day's
 *    segment, reads the other's new segments, merges them. The laptop writes a snapshot
 *    whenever its state covers SNAPSHOT_EVERY_SEGMENTS more segments than the last one.
 *    Reported per sync: bytes sent + received (request and response bodies) and time.
 *    Applying the merged state to the stores (replaying the touched cards) is not in it.
 * 2. A new device joins, `--runs` times each way: from the segments alone, and from the
 *    newest snapshot plus the later segments. Timed from opening the account (the
 *    passphrase's key derivation included) to the merged view (every card's schedule
 *    replayed through FSRS) and its relevance head having learnt the merged examples
 *    (lib/sync-head.ts, from a head that has learnt nothing), with the bytes it read; the
 *    view is checked to equal the desktop's.
 * Goals (issue 19): a day's incremental sync under 200 KB; a new device synced in under 30 s.
 */
import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createScheduler } from '../lib/review';
import { DEFAULT_PBKDF2_ITERATIONS } from '../lib/sync-crypto';
import { canonicalJson, emptySyncState, makeSegment, mergeSegment, type SyncState } from '../lib/sync-log';
import { SNAPSHOT_EVERY_SEGMENTS, openAccount, pullLatestSnapshot, pullSegments, pushSegment, pushSnapshot, segmentsCovered, type SyncAccount } from '../lib/sync-remote';
import { createHead } from '../lib/head';
import { headWithSyncedExamples } from '../lib/sync-head';
import { syncView } from '../lib/sync-view';
import { createWebDavClient } from '../lib/webdav';
import { startWebDavServer } from '../tests/webdav/server';
import { atLeastOne } from './lib/cli';
import { median } from './lib/stats';
import { simulateYear } from './lib/sync-year';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { days: { type: 'string' }, pages: { type: 'string' }, runs: { type: 'string' }, iterations: { type: 'string' }, json: { type: 'string' } },
  strict: true,
});
const DAYS = atLeastOne(values.days, 365);
const PAGES = atLeastOne(values.pages, 30);
const RUNS = atLeastOne(values.runs, 5);
const ITERATIONS = atLeastOne(values.iterations, DEFAULT_PBKDF2_ITERATIONS);
const PASSPHRASE = 'ein langer Satz, den nur die Lernende kennt';
const START = Date.UTC(2026, 0, 1);
const DEVICES = ['laptop-7f3a', 'desktop-21c9'];

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

const server = await startWebDavServer({ user: 'learner', password: 'app-password' });
const connect = () => createWebDavClient({ baseUrl: server.url, user: 'learner', password: 'app-password', timeoutMs: 60_000 });
const scheduler = createScheduler();

interface Device {
  readonly id: string;
  readonly account: SyncAccount;
  readonly state: SyncState;
  readonly folders: Set<string>;
  seq: number;
}

try {
  // ---- 1. The year.
  const devices: Device[] = [];
  for (const id of DEVICES) devices.push({ id, account: await openAccount(connect(), PASSPHRASE, { now: START, iterations: ITERATIONS }), state: emptySyncState(), folders: new Set(), seq: 0 });
  const rounds: { day: number; bytes: number; ms: number; events: number }[] = [];
  const snapshots: { day: number; bytes: number; ms: number }[] = [];
  let lastSnapshotCovered = 0;
  let eventCount = 0;
  const yearStarted = performance.now();
  for (const day of simulateYear({ days: DAYS, pagesPerDay: PAGES, devices: DEVICES, start: START, seed: 19 })) {
    for (const { device: id, events } of day) {
      const device = devices.find((d) => d.id === id)!;
      const traffic = device.account.client.traffic;
      const before = traffic.sent + traffic.received;
      const t0 = performance.now();
      if (events.length > 0) {
        const segment = makeSegment(id, ++device.seq, events);
        await pushSegment(device.account, segment, device.folders);
        mergeSegment(device.state, segment);
      }
      const pulled = await pullSegments(device.account, device.state);
      if (pulled.refused.length > 0) throw new Error(`refused: ${pulled.refused.map((r) => r.path).join(', ')}`);
      for (const s of pulled.segments) mergeSegment(device.state, s);
      rounds.push({ day: day[0]!.day, bytes: traffic.sent + traffic.received - before, ms: performance.now() - t0, events: events.length });
      eventCount += events.length;
      if (id === DEVICES[0] && segmentsCovered(device.state) - lastSnapshotCovered >= SNAPSHOT_EVERY_SEGMENTS) {
        const t1 = performance.now();
        const bytes = await pushSnapshot(device.account, device.state, id, START + day[0]!.day * 86_400_000 + 23 * 3600_000);
        snapshots.push({ day: day[0]!.day, bytes, ms: performance.now() - t1 });
        lastSnapshotCovered = segmentsCovered(device.state);
      }
    }
  }
  const yearMs = performance.now() - yearStarted;
  const desktop = devices[1]!;
  const reference = canonicalJson(syncView(desktop.state, scheduler));
  const referenceView = syncView(desktop.state, scheduler);

  // ---- 2. A new device joins.
  async function join(withSnapshot: boolean) {
    const client = connect();
    const t0 = performance.now();
    const account = await openAccount(client, PASSPHRASE, { now: Date.now(), iterations: ITERATIONS });
    const tKey = performance.now();
    let state = emptySyncState();
    if (withSnapshot) {
      const snap = await pullLatestSnapshot(account);
      if (!snap) throw new Error('no snapshot on the server');
      state = snap.state;
    }
    const pulled = await pullSegments(account, state);
    const tDownload = performance.now();
    for (const s of pulled.segments) mergeSegment(state, s);
    const tMerge = performance.now();
    const view = syncView(state, scheduler);
    const tView = performance.now();
    const encoderId = view.examples[0]?.encoderId ?? 'none';
    const dims = view.examples[0] ? atob(view.examples[0].embedding).length : 1;
    const head = headWithSyncedExamples(createHead(encoderId, dims, []), view.examples, new Set());
    const tHead = performance.now();
    if (view.examples.length > 0 && (!head || head.learnt === 0)) throw new Error('the new device\'s head learnt none of the merged examples');
    if (canonicalJson(view) !== reference) throw new Error(`the new device's view differs from the desktop's (${withSnapshot ? 'with' : 'without'} snapshot)`);
    return {
      ms: tHead - t0,
      keyMs: tKey - t0,
      downloadMs: tDownload - tKey,
      mergeMs: tMerge - tDownload,
      viewMs: tView - tMerge,
      headMs: tHead - tView,
      examplesLearnt: head?.learnt ?? 0,
      bytes: client.traffic.received + client.traffic.sent,
      segments: pulled.segments.length,
    };
  }
  const joins: Record<'without' | 'with', Awaited<ReturnType<typeof join>>[]> = { without: [], with: [] };
  for (let r = 0; r < RUNS; r++) {
    joins.without.push(await join(false));
    if (snapshots.length > 0) joins.with.push(await join(true));
  }

  // ---- Report.
  const dayBytes = rounds.map((r) => r.bytes);
  const dayMs = rounds.map((r) => r.ms);
  const lastWeek = rounds.filter((r) => r.day >= DAYS - 7);
  const summary = {
    setup: { days: DAYS, pagesPerDay: PAGES, devices: DEVICES.length, pbkdf2Iterations: ITERATIONS, events: eventCount, yearSimulatedS: +(yearMs / 1000).toFixed(1) },
    data: {
      cards: referenceView.cards.length,
      reviewLogs: referenceView.reviewLogs.length,
      words: referenceView.words.length,
      snippets: referenceView.snippets.length,
      examples: referenceView.examples.length,
      segmentsOnServer: segmentsCovered(desktop.state),
    },
    incremental: {
      syncs: rounds.length,
      medianKB: +kb(median(dayBytes)),
      p95KB: +kb(percentile(dayBytes, 0.95)),
      maxKB: +kb(Math.max(...dayBytes)),
      lastWeekMedianKB: +kb(median(lastWeek.map((r) => r.bytes))),
      medianMs: +median(dayMs).toFixed(1),
      p95Ms: +percentile(dayMs, 0.95).toFixed(1),
      lastWeekMedianMs: +median(lastWeek.map((r) => r.ms)).toFixed(1),
    },
    snapshots: { written: snapshots.length, lastKB: snapshots.length ? +kb(snapshots.at(-1)!.bytes) : null, lastMs: snapshots.length ? +snapshots.at(-1)!.ms.toFixed(0) : null },
    newDevice: Object.fromEntries(
      (['without', 'with'] as const).map((k) => [
        `${k}Snapshot`,
        joins[k].length === 0
          ? null
          : {
              runs: joins[k].length,
              medianS: +(median(joins[k].map((j) => j.ms)) / 1000).toFixed(2),
              medianMB: +(median(joins[k].map((j) => j.bytes)) / 1048576).toFixed(2),
              segmentsRead: joins[k][0]!.segments,
              medianKeyS: +(median(joins[k].map((j) => j.keyMs)) / 1000).toFixed(2),
              medianDownloadS: +(median(joins[k].map((j) => j.downloadMs)) / 1000).toFixed(2),
              medianMergeS: +(median(joins[k].map((j) => j.mergeMs)) / 1000).toFixed(2),
              medianReplayS: +(median(joins[k].map((j) => j.viewMs)) / 1000).toFixed(2),
              medianHeadS: +(median(joins[k].map((j) => j.headMs)) / 1000).toFixed(2),
              examplesLearnt: joins[k][0]!.examplesLearnt,
            },
      ]),
    ),
  };
  console.log(JSON.stringify(summary, null, 2));
  const inc = summary.incremental;
  console.log(`\nA day's incremental sync: median ${inc.medianKB} KB (p95 ${inc.p95KB}, max ${inc.maxKB}; goal < 200 KB), ${inc.medianMs} ms.`);
  for (const k of ['withoutSnapshot', 'withSnapshot'] as const) {
    const j = summary.newDevice[k];
    if (j) console.log(`New device ${k === 'withSnapshot' ? 'from the snapshot' : 'from segments only'}: median ${j.medianS} s (goal < 30 s), ${j.medianMB} MB read, ${j.segmentsRead} segments.`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(summary, null, 2) + '\n');
} finally {
  await server.stop();
}
