/**
 * Sending and receiving protocol messages through `runtime` messaging.
 *
 * Receiving side: a message is answered only if (1) it comes from this extension (sender id),
 * (2) it is addressed to this context (`to` in the protocol), (3) the sending context may send
 * it (`SENDERS` in the protocol: a content script in a web page may not ask for the learner's
 * data, settings or deletion), (4) it validates against its request schema. Anything else is refused and counted, never thrown at the page. Sending
 * side: replies are validated too, and failures become `MessagingError`s with a message a
 * person can read.
 */
import {
  CHANNEL,
  PROTOCOL,
  mayBeSentFrom,
  envelope,
  parseEnvelope,
  parseReply,
  type Envelope,
  type MessageType,
  type Reply,
  type RequestOf,
  type ResponseOf,
  type SenderContext,
  type Target,
} from '../lib/protocol';

/** The part of `browser.runtime` used here, so tests can pass a fake. */
export interface RuntimeLike {
  id: string;
  /** The URL of one of the extension's files: its base tells the extension's own pages from web pages. */
  getURL?(path: string): string;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(cb: (message: unknown, sender: SenderLike) => Promise<unknown> | undefined): void;
    removeListener(cb: (message: unknown, sender: SenderLike) => Promise<unknown> | undefined): void;
  };
}

export interface SenderLike {
  id?: string;
  url?: string;
  /** The sending document (Chrome): a page loaded anew in the same tab has a new one. */
  documentId?: string;
  tab?: { id?: number; url?: string };
}

export class MessagingError extends Error {
  override name = 'MessagingError';
}

/**
 * The receiver got the message and answered no (invalid, refused, or its handler failed):
 * sending the same message again would get the same answer. Other MessagingErrors mean the
 * message was not delivered or not answered (the worker was restarting), and may pass if
 * sent again.
 */
export class MessageRefused extends MessagingError {
  override name = 'MessageRefused';
}

/** Whether a failed `send` may succeed if sent again (see MessageRefused). */
export function isTransientFailure(error: unknown): boolean {
  return !(error instanceof MessageRefused);
}

export async function send<T extends MessageType>(runtime: RuntimeLike, type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  let raw: unknown;
  try {
    raw = await runtime.sendMessage(envelope(type, payload));
  } catch (e) {
    throw new MessagingError(`${type} was not delivered: ${e instanceof Error ? e.message : String(e)}`);
  }
  const reply = parseReply(type, raw);
  if (reply.ok) return reply.value;
  // No reply at all: nobody was listening yet (a worker starting). Anything else is an answer.
  const answered = typeof raw === 'object' && raw !== null;
  throw answered ? new MessageRefused(reply.error) : new MessagingError(reply.error);
}

export type Handlers<K extends MessageType> = {
  [T in K]: (payload: RequestOf<T>, sender: SenderLike) => Promise<ResponseOf<T>>;
};

/** What the receiving side refused, by reason: visible to tests and to the options page. */
export interface RefusalCounts {
  foreignSender: number;
  /** From a context that may not send that message (a content script asking for data). */
  wrongContext: number;
  invalid: number;
  [reason: string]: number;
}

export interface Listening {
  refused: RefusalCounts;
  stop(): void;
}

/**
 * Answers the messages addressed to `target` with `handlers`. Returns `undefined` (no answer)
 * for messages addressed to another context, so that context's listener can answer.
 */
export function listen<K extends MessageType>(runtime: RuntimeLike, target: Target, handlers: Handlers<K>): Listening {
  const refused: RefusalCounts = { foreignSender: 0, wrongContext: 0, invalid: 0 };
  const listener = (message: unknown, sender: SenderLike): Promise<unknown> | undefined => {
    const isOurs = typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === CHANNEL;
    if (!isOurs) return undefined; // not ours at all: stay silent, other listeners may care
    const type = (message as { type?: unknown }).type;
    const spec = typeof type === 'string' && Object.hasOwn(PROTOCOL, type) ? PROTOCOL[type as MessageType] : undefined;
    if (spec && spec.to !== target) return undefined;
    if (sender.id !== runtime.id) {
      refused.foreignSender++;
      return Promise.resolve(refusal('refused: sender is not this extension'));
    }
    if (spec && !mayBeSentFrom(type as MessageType, senderContext(runtime, sender))) {
      refused.wrongContext++;
      return Promise.resolve(refusal(`refused: ${String(type)} is not accepted from a web page`));
    }
    const parsed = parseEnvelope(message);
    if (!parsed.ok) {
      refused.invalid++;
      return Promise.resolve(refusal(parsed.error));
    }
    const handler = (handlers as Record<string, ((p: unknown, s: SenderLike) => Promise<unknown>) | undefined>)[parsed.envelope.type];
    if (!handler) return undefined;
    return answer(parsed.envelope, handler, sender);
  };
  runtime.onMessage.addListener(listener);
  return { refused, stop: () => runtime.onMessage.removeListener(listener) };
}

/**
 * Which kind of context sent a message of this extension. The browser sets `sender.url`: the
 * extension's own pages and its background have the extension's base URL; a content script
 * has the web page's. A sender with neither a URL nor a tab is one of the extension's own
 * contexts (no browser delivers a content script's message without them).
 */
export function senderContext(runtime: Pick<RuntimeLike, 'id' | 'getURL'>, sender: SenderLike): SenderContext {
  if (sender.url === undefined) return sender.tab ? 'page' : 'extension';
  const base = runtime.getURL?.('/') ?? `chrome-extension://${runtime.id}/`;
  return sender.url.startsWith(base) ? 'extension' : 'page';
}

async function answer(
  env: Envelope,
  handler: (p: unknown, s: SenderLike) => Promise<unknown>,
  sender: SenderLike,
): Promise<Reply> {
  try {
    return { ok: true, value: (await handler(env.payload, sender)) as ResponseOf<MessageType> };
  } catch (e) {
    console.error(`[attention-reader] ${env.type} failed`, e);
    return refusal(e instanceof Error ? e.message : String(e));
  }
}

function refusal(error: string): Reply {
  return { ok: false, error };
}
