/**
 * Reaching the encoder of a running extension from a test: protocol messages timed as the
 * sending extension page sees them, and the offscreen document that hosts the encoder, opened
 * before anything loads so that a test can watch (or interfere with) the model loading.
 * Extension pages to send from: extension-pages.ts.
 */
import type { CDPSession, Page, Target, WebWorker } from 'puppeteer-core';
import type { MessageType, RequestOf, ResponseOf } from '../../../lib/protocol';
import { ask, extensionUrl, type Session } from '../harness';

const OFFSCREEN_PATH = '/offscreen.html';

/** Like `ask`, also timing the round trip as seen by the sending page. */
export async function askTimed<T extends MessageType>(page: Page, type: T, payload: RequestOf<T>): Promise<{ value: ResponseOf<T>; ms: number; answeredAt: number }> {
  const started = Date.now();
  const value = await ask(page, type, payload);
  const answeredAt = Date.now();
  return { value, ms: answeredAt - started, answeredAt };
}

/** How long the background's own warm-up document is waited for before the test makes its own. */
const WARMUP_WAIT_MS = 5_000;

/**
 * Opens the offscreen document that hosts the encoder, as the background would on its first
 * page (same URL, same reason), and returns it. The encoder loads on the first `encoder.*`
 * message, so nothing has loaded in it yet when this returns: a test can instrument the
 * document first. The background finds the document through `runtime.getContexts` and uses it.
 *
 * The background loads the encoder as soon as it starts when a site is turned on
 * (platform/encoder-warmup.ts): the document it made for that is awaited and closed first, so
 * the one the test instruments is the one every later page is scored in.
 */
export async function openOffscreenDocument(session: Session, from: Page): Promise<Page> {
  const url = extensionUrl(session, OFFSCREEN_PATH);
  const isOffscreen = (t: Target) => t.type() === 'background_page' && t.url() === url;
  const warmup = await session.browser.waitForTarget(isOffscreen, { timeout: WARMUP_WAIT_MS }).catch(() => null);
  await from.evaluate(async (path) => {
    const chrome = (globalThis as unknown as {
      chrome: {
        offscreen: { createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>; closeDocument(): Promise<void> };
      };
    }).chrome;
    await chrome.offscreen.closeDocument().catch(() => undefined);
    await chrome.offscreen.createDocument({ url: path, reasons: ['WORKERS'], justification: 'end-to-end test of the encoder' });
  }, OFFSCREEN_PATH);
  const target = await session.browser.waitForTarget((t) => isOffscreen(t) && t !== warmup, { timeout: 10_000 });
  const page = await target.asPage();
  if (!page) throw new Error('the offscreen document has no page handle');
  return page;
}

/**
 * The dedicated worker in which the offscreen document runs the encoder (it starts with the
 * document; the model loads on the first `encoder.*` message, so a test can instrument the
 * worker first: its fetches and WebGPU calls are the encoder's).
 */
export async function encoderWorker(offscreen: Page): Promise<WebWorker> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const worker = offscreen.workers().find((w) => w.url().includes('encoder.worker'));
    if (worker) return worker;
    if (Date.now() > deadline) throw new Error(`the offscreen document started no encoder worker (workers: ${offscreen.workers().map((w) => w.url()).join(', ') || 'none'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The (wall-clock, ms since epoch) moments at which the encoder host logged a failed embed call. */
export interface FailureLog {
  readonly at: number[];
  readonly messages: string[];
  stop(): Promise<void>;
}

/**
 * Watches the offscreen document's console for the host's "encoder.embed failed" line: the
 * moment the encoder's failure is known. Timestamps come from the browser (CDP), in the same
 * wall clock as Date.now() here and in pages.
 */
export async function watchEncoderFailures(offscreen: Page): Promise<FailureLog> {
  const cdp: CDPSession = await offscreen.createCDPSession();
  const at: number[] = [];
  const messages: string[] = [];
  cdp.on('Runtime.consoleAPICalled', (event) => {
    const text = event.args.map((a) => (typeof a.value === 'string' ? a.value : (a.description ?? ''))).join(' ');
    if (text.includes('encoder.embed failed')) {
      at.push(event.timestamp);
      messages.push(text);
    }
  });
  await cdp.send('Runtime.enable');
  return { at, messages, stop: () => cdp.detach() };
}

/**
 * Counts the compute passes dispatched on any WebGPU device of the encoder's worker from now
 * on: proof that the model really runs on the GPU, not only that WebGPU was chosen.
 */
export async function countGpuDispatches(encoder: WebWorker): Promise<() => Promise<number>> {
  await encoder.evaluate(() => {
    const w = globalThis as unknown as { __gpuDispatches: number };
    w.__gpuDispatches = 0;
    const proto = GPUComputePassEncoder.prototype;
    const original = proto.dispatchWorkgroups;
    proto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<typeof original>) {
      w.__gpuDispatches++;
      return original.apply(this, args);
    };
  });
  return () => encoder.evaluate(() => (globalThis as unknown as { __gpuDispatches: number }).__gpuDispatches);
}

/**
 * Makes every fetch of an .onnx file in the encoder's worker hang forever: the model load
 * neither succeeds nor fails, as with a stalled disk or a wedged runtime.
 */
export async function stallModelFetch(encoder: WebWorker): Promise<() => Promise<string[]>> {
  await encoder.evaluate(() => {
    const w = globalThis as unknown as { __stalledFetches: string[] };
    w.__stalledFetches = [];
    const original = globalThis.fetch;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith('.onnx')) return original(input, init);
      w.__stalledFetches.push(url);
      return new Promise<Response>(() => {});
    };
  });
  return () => encoder.evaluate(() => (globalThis as unknown as { __stalledFetches: string[] }).__stalledFetches);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`cosine: lengths ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}
