/**
 * Records the network requests of every context in a browser, by context, two independent ways:
 *
 * - DevTools: the browser session auto-attaches to every target (service worker, offscreen
 *   document, its worker threads, extension pages, web pages) and holds each new one paused
 *   until `Network.enable` is on, so that even a document's first request is seen. Each
 *   request is attributed to a context: the extension's own (a non-page target, or a page
 *   whose document is an extension URL), our content script (a web page's request whose
 *   initiator stack runs through an extension URL, or that loads an extension file), the
 *   browser's own (chrome:// documents), or the web page itself.
 * - Chromium's net log (`--log-net-log`), written by the network service for the whole
 *   browser from its first moment, whatever the DevTools side missed: every request that
 *   really reached the network stack, with the origin that initiated it.
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession } from 'puppeteer-core';

export type Context = 'extension' | 'content-script' | 'page' | 'browser-internal';

export interface RecordedRequest {
  context: Context;
  /** Target type as DevTools names it: page, service_worker, worker, other... */
  target: string;
  url: string;
  documentURL: string;
  initiator: string;
}

interface RequestWillBeSent {
  requestId: string;
  request: { url: string };
  documentURL?: string;
  initiator?: { type: string; url?: string; stack?: { callFrames: { url: string }[]; parent?: unknown } };
}
interface AttachedToTarget {
  sessionId: string;
  targetInfo: { type: string; url: string };
  waitingForDebugger: boolean;
}

/** Every script URL on an initiator's stack, parents included. */
function stackUrls(initiator: RequestWillBeSent['initiator']): string[] {
  const out: string[] = [];
  if (initiator?.url) out.push(initiator.url);
  let stack = initiator?.stack as { callFrames: { url: string }[]; parent?: unknown } | undefined;
  while (stack) {
    for (const f of stack.callFrames) out.push(f.url);
    stack = stack.parent as typeof stack | undefined;
  }
  return out;
}

export function classify(targetType: string, e: RequestWillBeSent): Context {
  const doc = e.documentURL ?? '';
  if (doc.startsWith('chrome://') || doc.startsWith('devtools://') || e.request.url.startsWith('chrome://')) return 'browser-internal';
  if (targetType !== 'page' || doc.startsWith('chrome-extension://')) return 'extension';
  // In a web page: ours when our content script started it, or when it loads one of our files
  // (the toolbar's style sheet, which the page itself cannot name: its URL is per-session).
  if (e.request.url.startsWith('chrome-extension://') || stackUrls(e.initiator).some((u) => u.startsWith('chrome-extension://'))) return 'content-script';
  return 'page';
}

export interface NetworkRecorder {
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Starts recording every target's requests; call before opening the pages to watch. */
export async function recordNetwork(browser: Browser): Promise<NetworkRecorder> {
  const requests: RecordedRequest[] = [];
  // A target can be attached more than once (a service worker is also reachable from the
  // pages it serves); one request is counted once.
  const seen = new Set<string>();
  const root = await browser.target().createCDPSession();
  const connection = root.connection()!;
  const sessions: CDPSession[] = [root];

  const watch = (session: CDPSession) => {
    session.on('Target.attachedToTarget', (event: AttachedToTarget) => void onAttached(event));
  };
  const onAttached = async ({ sessionId, targetInfo, waitingForDebugger }: AttachedToTarget) => {
    const child = connection.session(sessionId);
    if (!child) return;
    sessions.push(child);
    child.on('Network.requestWillBeSent', (e: RequestWillBeSent) => {
      const key = `${targetInfo.type} ${e.requestId} ${e.request.url}`;
      if (seen.has(key)) return;
      seen.add(key);
      requests.push({
        context: classify(targetInfo.type, e),
        target: targetInfo.type,
        url: e.request.url,
        documentURL: e.documentURL ?? '',
        initiator: stackUrls(e.initiator)[0] ?? e.initiator?.type ?? '',
      });
    });
    watch(child);
    // Targets without a network domain (the browser's own) simply refuse; they are resumed anyway.
    await child.send('Network.enable').catch(() => {});
    // Workers started by this target (the encoder's WebAssembly threads) are attached the same way.
    await child.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }).catch(() => {});
    if (waitingForDebugger) await child.send('Runtime.runIfWaitingForDebugger').catch(() => {});
  };
  watch(root);
  await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  return {
    requests,
    async stop() {
      await root.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false }).catch(() => {});
      await root.detach().catch(() => {});
    },
  };
}

export interface NetLogRequest {
  url: string;
  /** The origin that asked, or "not an origin" for the browser's own requests. */
  initiator: string;
}

/**
 * The requests in a net log written by `--log-net-log`: one per URL_REQUEST_START_JOB (a
 * request handed to the network stack). A log cut short by the browser's exit is closed here.
 */
export function readNetLog(path: string): NetLogRequest[] {
  const raw = readFileSync(path, 'utf8').trimEnd();
  let log: { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: { url?: string; initiator?: string } }[] };
  try {
    log = JSON.parse(raw);
  } catch {
    log = JSON.parse(`${raw.replace(/,\s*$/, '')}]}`);
  }
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === startJob && typeof e.params?.url === 'string')
    .map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? '' }));
}
