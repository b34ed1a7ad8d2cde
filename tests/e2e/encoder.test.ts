/**
 * The bundled encoder in a real Chromium with the built extension:
 * - WASM (the default: headless Chromium has no WebGPU adapter): it embeds meaning, runs
 *   multi-threaded, and scores a page's paragraphs;
 * - WebGPU (SwiftShader's software adapter, enabled by --enable-unsafe-webgpu): chosen when an
 *   adapter exists, really dispatches compute work, and agrees with WASM;
 * - fallback: with the model file missing or corrupt the page is still highlighted by word
 *   matching, within a second of the failure being known; a model load that hangs costs
 *   the first page the encoder timeout and later pages nothing.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../lib/protocol';
import { ENCODER_TIMEOUT_MS } from '../../platform/service/relevance';
import { ROOT, launch, serve, type Session } from './harness';
import { buildWithDamagedModel, type ModelDamage } from './lib/encoder-builds';
import { askTimed, cosine, countGpuDispatches, encoderWorker, openOffscreenDocument, stallModelFetch, watchEncoderFailures } from './lib/encoder-probe';
import { ask, openExtensionPage, storeRecords } from './lib/extension-pages';
import { AGREEMENT_TEXTS, tripleScores, tripleTexts } from './lib/encoder-sentences';
import { firstHighlight, recordFirstHighlight } from './lib/encoder-timing';

/**
 * Headless Chromium hides WebGPU unless this flag is given; with it (and the harness's
 * --disable-gpu) Chromium 156 offers SwiftShader's software Vulkan adapter. Adding
 * --use-angle=vulkan --disable-vulkan-surface, as some guides do, gave no adapter here.
 */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu'];
/** The fallback must answer within this of the encoder's failure being known. */
const FALLBACK_BUDGET_MS = 1_000;

let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  server = await serve(join(ROOT, 'tests/fixtures'));
});

afterAll(async () => {
  await server?.close();
});

/** Opens the fixture article in a new (front) tab and waits for its first highlight. */
async function visitArticle(session: Session, timeoutMs: number): Promise<{ page: Page; ms: number; at: number }> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await recordFirstHighlight(page);
  await page.goto(`${server.origin}/article.html`, { waitUntil: 'domcontentloaded' });
  const timing = await firstHighlight(page, timeoutMs);
  return { page, ms: timing.ms, at: timing.firstHighlightAt };
}

/** Number of embeddings cached in the extension's database under `encoderId`. */
async function cachedEmbeddings(page: Page, encoderId: string): Promise<number> {
  return (await storeRecords(page, 'embeddings')).filter((r) => String(r.key).startsWith(`${encoderId}:`)).length;
}

/** A page.paragraphs request for paragraphs the extension has never seen (nothing cached). */
function freshPageRequest(tag: string): RequestOf<'page.paragraphs'> {
  const texts = [
    'The old harbour was rebuilt after the storm, and fishing boats returned within a year.',
    'Tourists now walk along the new sea wall, which also protects the houses behind it.',
    'Local shops say their takings have doubled since the promenade opened last summer.',
  ];
  return {
    url: `http://127.0.0.1/${tag}.html`,
    title: tag,
    lang: 'en',
    paragraphs: texts.map((text, i) => ({ id: `${tag}-${i}`, text: `${text} (${tag})`, lang: 'en' })),
    shown: [],
  };
}

/** Vectors of AGREEMENT_TEXTS on WASM, kept for the WebGPU comparison. */
let wasmVectors: number[][] | null = null;

describe('encoder on WASM', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch();
    page = await openExtensionPage(session);
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
  });

  it('embeds meaning: a paraphrase is closer than an unrelated sentence', async () => {
    const offscreen = await openOffscreenDocument(session, page);
    const reply = await ask(page, 'encoder.embed', { texts: tripleTexts() });
    expect(reply.backend).toMatch(/^wasm /);
    expect(reply.dimensions).toBe(512);
    for (const score of tripleScores(reply.vectors)) {
      expect(score.paraphrase, score.anchor).toBeGreaterThan(score.unrelated + 0.2);
    }
    wasmVectors = (await ask(page, 'encoder.embed', { texts: [...AGREEMENT_TEXTS] })).vectors;

    const status = await ask(page, 'encoder.status', {});
    expect(status).toMatchObject({ ready: true, encoderId: 'use-lite-int8', error: null });
    const threads = Number(/^wasm \((\d+) threads?\)$/.exec(status.backend)?.[1]);
    expect(threads, status.backend).toBeGreaterThanOrEqual(1);
    // Cross-origin isolation (manifest COOP/COEP) is what allows more than one thread, in the
    // document and in the worker it runs the encoder in.
    const machine = await offscreen.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
    expect(machine.isolated).toBe(true);
    expect(await (await encoderWorker(offscreen)).evaluate(() => crossOriginIsolated)).toBe(true);
    if (machine.cores > 1) expect(threads).toBeGreaterThan(1);
  });

  it('scores the paragraphs of a visited page with the encoder', async () => {
    const visit = await visitArticle(session, 60_000);
    const dashboard = await ask(page, 'dashboard.get', {});
    expect(dashboard.scorer).toBe('encoder');
    // Set only after a page's embeddings came back (before that the note says "starting").
    expect(dashboard.scorerNote).toMatch(/^on-device language model \(wasm \(\d+ threads?\)\)$/);
    expect(dashboard.paragraphsHighlighted).toBeGreaterThan(0);
    // The article's paragraphs went through the background's embedding cache (the test's own
    // encoder.embed calls above bypass it), so they were embedded by the encoder.
    expect(await cachedEmbeddings(page, 'use-lite-int8')).toBeGreaterThanOrEqual(dashboard.paragraphsHighlighted);
    console.info(`[encoder e2e] WASM article: first highlight ${visit.ms.toFixed(0)} ms after DOMContentLoaded`);
    await visit.page.close();
  });
});

describe('encoder on WebGPU', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch({ extraArgs: WEBGPU_ARGS });
    page = await openExtensionPage(session);
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
  });

  it('finds an adapter, runs the model on it, and agrees with WASM', async () => {
    const offscreen = await openOffscreenDocument(session, page);
    const adapter = await offscreen.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info: { vendor: string; architecture: string } } | null> } }).gpu;
      if (!gpu) return 'navigator.gpu is missing';
      const a = await gpu.requestAdapter();
      return a ? `${a.info.vendor}/${a.info.architecture}` : null;
    });
    if (adapter === null || adapter.startsWith('navigator')) {
      throw new Error(`No WebGPU adapter in Chromium with ${WEBGPU_ARGS.join(' ')} (${adapter ?? 'requestAdapter() gave null'}): the WebGPU path cannot be checked on this machine.`);
    }
    const dispatches = await countGpuDispatches(await encoderWorker(offscreen));

    const status = await ask(page, 'encoder.status', {});
    expect(status, `adapter ${adapter}`).toMatchObject({ ready: true, backend: 'webgpu', error: null });

    const before = await dispatches();
    const reply = await ask(page, 'encoder.embed', { texts: tripleTexts() });
    expect(reply.backend).toBe('webgpu');
    expect(await dispatches(), 'compute passes dispatched while embedding').toBeGreaterThan(before);
    for (const score of tripleScores(reply.vectors)) {
      expect(score.paraphrase, score.anchor).toBeGreaterThan(score.unrelated + 0.2);
    }

    let reference = wasmVectors;
    if (!reference) {
      // Run alone (e.g. with -t): get the WASM vectors from a browser without the flag.
      const wasm = await launch();
      try {
        reference = (await ask(await openExtensionPage(wasm), 'encoder.embed', { texts: [...AGREEMENT_TEXTS] })).vectors;
      } finally {
        await wasm.close().catch(() => {});
      }
    }
    const gpuVectors = (await ask(page, 'encoder.embed', { texts: [...AGREEMENT_TEXTS] })).vectors;
    const agreement = gpuVectors.map((v, i) => cosine(v, reference[i]!));
    console.info(`[encoder e2e] WebGPU (${adapter}) vs WASM cosine: min ${Math.min(...agreement).toFixed(5)}`);
    for (const [i, c] of agreement.entries()) expect(c, AGREEMENT_TEXTS[i]).toBeGreaterThanOrEqual(0.99);
  });

  it('scores a visited page on WebGPU', async () => {
    const visit = await visitArticle(session, 90_000);
    const dashboard = await ask(page, 'dashboard.get', {});
    expect(dashboard).toMatchObject({ scorer: 'encoder', scorerNote: 'on-device language model (webgpu)' });
    console.info(`[encoder e2e] WebGPU (SwiftShader) article: first highlight ${visit.ms.toFixed(0)} ms after DOMContentLoaded`);
    await visit.page.close();
  });
});

const DAMAGE_REASON: Record<ModelDamage, RegExp> = {
  // The browser refuses a fetch of a file the package does not contain.
  missing: /could not load: .*fetch/i,
  // onnxruntime cannot parse random bytes as an ONNX protobuf.
  corrupt: /could not load: .*protobuf/i,
};

describe.each(['missing', 'corrupt'] as const)('fallback when the model file is %s', (damage) => {
  let build: ReturnType<typeof buildWithDamagedModel>;
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    build = buildWithDamagedModel(damage);
    session = await launch({ extensionDir: build.dir });
    page = await openExtensionPage(session);
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
    build?.remove();
  });

  it('highlights the article by word matching within a second of the failure', async () => {
    const failures = await watchEncoderFailures(await openOffscreenDocument(session, page));

    // First visit: the page's own request makes the encoder load, fail, and the page fall back.
    const visit = await visitArticle(session, ENCODER_TIMEOUT_MS / 2);
    expect(failures.at.length, 'the host reported the failed load').toBeGreaterThan(0);
    const afterFailure = visit.at - failures.at[0]!;
    expect(afterFailure).toBeGreaterThanOrEqual(0);
    expect(afterFailure).toBeLessThan(FALLBACK_BUDGET_MS);

    const dashboard = await ask(page, 'dashboard.get', {});
    expect(dashboard.scorer).toBe('lexical');
    expect(dashboard.scorerNote).toMatch(/^word matching fallback: /);
    expect(dashboard.scorerNote).toMatch(DAMAGE_REASON[damage]);
    expect(dashboard.paragraphsHighlighted).toBeGreaterThan(0);

    // Once the failure is known, a new page's request is answered by word matching at once.
    const next = await askTimed(page, 'page.paragraphs', freshPageRequest(`after-${damage}`));
    expect(next.value.scorer).toBe('lexical');
    expect(next.value.highlights.length).toBeGreaterThan(0);
    expect(next.ms).toBeLessThan(FALLBACK_BUDGET_MS);

    const status = await ask(page, 'encoder.status', {});
    expect(status.ready).toBe(false);
    expect(status.error).toMatch(DAMAGE_REASON[damage]);
    console.info(
      `[encoder e2e] model ${damage}: first highlight ${visit.ms.toFixed(0)} ms after DOMContentLoaded, ${afterFailure.toFixed(0)} ms after the failure was known; next page answered in ${next.ms} ms`,
    );
    await failures.stop();
    await visit.page.close();
  });
});

describe('fallback when the model load hangs', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch();
    page = await openExtensionPage(session);
  });

  afterAll(async () => {
    await session?.close().catch(() => {});
  });

  it('bounds the first page by the encoder timeout and does not make later pages wait', async () => {
    const stalled = await stallModelFetch(await encoderWorker(await openOffscreenDocument(session, page)));

    const first = await askTimed(page, 'page.paragraphs', freshPageRequest('hang-1'));
    expect(await stalled(), 'the model fetch was held').toHaveLength(1);
    expect(first.value.scorer).toBe('lexical');
    expect(first.value.highlights.length).toBeGreaterThan(0);
    expect(first.ms).toBeGreaterThanOrEqual(ENCODER_TIMEOUT_MS - 100);
    expect(first.ms).toBeLessThan(ENCODER_TIMEOUT_MS + FALLBACK_BUDGET_MS);
    const dashboard = await ask(page, 'dashboard.get', {});
    expect(dashboard).toMatchObject({ scorer: 'lexical' });
    expect(dashboard.scorerNote).toMatch(/^word matching fallback: .*longer than/);

    // The load is still hanging: the next page must not wait the timeout again.
    const second = await askTimed(page, 'page.paragraphs', freshPageRequest('hang-2'));
    console.info(`[encoder e2e] hanging model: first page answered in ${first.ms} ms, the next in ${second.ms} ms`);
    expect(second.value.scorer).toBe('lexical');
    expect(second.ms).toBeLessThan(FALLBACK_BUDGET_MS);
  });
});
