/**
 * A small WebDAV client for sync: list a folder (PROPFIND, depth 1), read, write, make and
 * move files (GET, PUT, MKCOL, MOVE, DELETE), over `fetch` with HTTP Basic authentication,
 * the way Nextcloud, ownCloud, NAS boxes and other WebDAV hosts accept an app password.
 * No browser-only API (no DOMParser: a service worker has none), so Node runs it in tests.
 *
 * Failures become SyncError codes the learner can act on: 401 'unauthorized', 403
 * 'forbidden', 507 'insufficient-storage', no answer 'unreachable', anything else 'server'.
 * A missing file or folder is not an error: `get` answers null, `list` an empty list.
 *
 * `putAtomic` writes to a temporary name and then moves it into place, so a reader never
 * sees half of a file whose upload was cut off; the temporary name is the file's own plus
 * TEMP_SUFFIX (a retry overwrites what a cut-off upload left), and `list` leaves it out.
 */
import { SyncError } from './sync-error';

export const TEMP_SUFFIX = '.part';

export interface WebDavOptions {
  /** The folder everything is kept under, e.g. https://cloud.example.org/remote.php/dav/files/ana/Reader/ */
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  /** Per request; a server that does not answer within it is 'unreachable'. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface DavEntry {
  /** Name within the listed folder (decoded), without a trailing slash. */
  readonly name: string;
  readonly isFolder: boolean;
  readonly size: number | null;
  readonly etag: string | null;
}

export interface WebDavClient {
  /** The folder's entries by name; temporary upload files only when asked for. */
  list(path: string, options?: { withTemporary?: boolean }): Promise<DavEntry[]>;
  get(path: string): Promise<Uint8Array | null>;
  put(path: string, body: Uint8Array): Promise<void>;
  /**
   * Writes via a temporary name moved into place. With `{ create: true }` an existing file
   * is left alone (MOVE with Overwrite: F, which the server checks atomically) and the answer
   * is false: how two devices setting up the same account at once agree on one file.
   */
  putAtomic(path: string, body: Uint8Array, options?: { create?: boolean }): Promise<boolean>;
  /** Makes the sync folder, then `path` and its parents inside it; an existing folder is fine. */
  makeFolders(path: string): Promise<void>;
  /** Moves a file; with `overwrite: false` an existing destination makes it answer false instead. */
  move(from: string, to: string, options?: { overwrite?: boolean }): Promise<boolean>;
  /** Deleting what is not there is fine. */
  remove(path: string): Promise<void>;
  /** Bytes sent and received in request and response bodies so far (for the bench and the settings line). */
  readonly traffic: { sent: number; received: number };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Each segment of `path` percent-encoded; '/' kept. */
function encodePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map(encodeURIComponent)
    .join('/');
}

function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return 'Basic ' + btoa(binary);
}

function statusError(status: number, what: string): SyncError {
  if (status === 401) return new SyncError('unauthorized', 'The sync server refused the user name or password (app token).');
  if (status === 403) return new SyncError('forbidden', 'The sync server does not let this account read or write the sync folder.');
  if (status === 507) return new SyncError('insufficient-storage', 'The sync server is out of space: free some space there, then sync again.');
  return new SyncError('server', `The sync server answered ${status} to ${what}.`);
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(Number.parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : (XML_ENTITIES[e.toLowerCase()] ?? m),
    )
    .trim();
}

/** The text of the first element with local name `name` in `xml` (any namespace prefix). */
function element(xml: string, name: string): string | null {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>)`, 'i').exec(xml);
  return m ? (m[1] ?? '') : null;
}

/**
 * The entries of a PROPFIND multistatus answer, without the listed folder itself. Read with
 * regular expressions over local names: WebDAV servers differ in namespace prefixes, and
 * a worker has no XML parser.
 */
export function parseMultistatus(xml: string, folderUrl: URL, options: { withTemporary?: boolean } = {}): DavEntry[] {
  const out: DavEntry[] = [];
  const folderPath = decodeURIComponent(folderUrl.pathname).replace(/\/+$/, '');
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?response\s*>/gi)) {
    const body = m[1]!;
    const href = element(body, 'href');
    if (href === null) continue;
    let path: string;
    try {
      path = decodeURIComponent(new URL(xmlText(href), folderUrl).pathname).replace(/\/+$/, '');
    } catch {
      continue;
    }
    if (path === folderPath || !path.startsWith(folderPath + '/')) continue;
    const name = path.slice(folderPath.length + 1);
    if (name.includes('/') || (name.endsWith(TEMP_SUFFIX) && !options.withTemporary)) continue;
    const type = element(body, 'resourcetype');
    const length = element(body, 'getcontentlength');
    const etag = element(body, 'getetag');
    out.push({
      name,
      isFolder: type !== null && element(type, 'collection') !== null,
      size: length !== null && /^\d+$/.test(xmlText(length)) ? Number(xmlText(length)) : null,
      etag: etag !== null ? xmlText(etag) : null,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getetag/></d:prop></d:propfind>';

export function createWebDavClient(options: WebDavOptions): WebDavClient {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : options.baseUrl + '/');
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new RangeError('A WebDAV address starts with https:// (or http:// on the local network).');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const auth = basicAuth(options.user, options.password);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const traffic = { sent: 0, received: 0 };
  const urlOf = (path: string, folder = false) => new URL(encodePath(path) + (folder && path !== '' ? '/' : ''), base);

  async function request(method: string, url: URL, init: { body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<Response> {
    const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: { Authorization: auth, ...init.headers },
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'follow',
      });
    } catch (e) {
      throw new SyncError('unreachable', `The sync server at ${base.host} did not answer: check the address and the connection.`, { cause: e });
    }
    traffic.sent += body?.length ?? 0;
    return response;
  }

  async function readBody(response: Response): Promise<Uint8Array> {
    try {
      const bytes = new Uint8Array(await response.arrayBuffer());
      traffic.received += bytes.length;
      return bytes;
    } catch (e) {
      throw new SyncError('unreachable', `The connection to the sync server at ${base.host} broke off.`, { cause: e });
    }
  }

  /** Reads and drops an answer's body (so the connection can be reused), failing on an error status. */
  async function expect(response: Response, what: string, ok: (status: number) => boolean): Promise<void> {
    await readBody(response);
    if (!ok(response.status)) throw statusError(response.status, what);
  }

  const client: WebDavClient = {
    traffic,

    async list(path, options) {
      const url = urlOf(path, true);
      const response = await request('PROPFIND', url, { body: PROPFIND_BODY, headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' } });
      const bytes = await readBody(response);
      if (response.status === 404) return [];
      if (response.status !== 207) throw statusError(response.status, `listing ${path || 'the sync folder'}`);
      return parseMultistatus(new TextDecoder().decode(bytes), url, options);
    },

    async get(path) {
      const response = await request('GET', urlOf(path));
      const bytes = await readBody(response);
      if (response.status === 404) return null;
      if (!response.ok) throw statusError(response.status, `reading ${path}`);
      return bytes;
    },

    async put(path, body) {
      const response = await request('PUT', urlOf(path), { body, headers: { 'Content-Type': 'application/octet-stream' } });
      await expect(response, `writing ${path}`, (s) => s >= 200 && s < 300);
    },

    async putAtomic(path, body, options) {
      const create = options?.create ?? false;
      // One temporary name per file: a retried upload replaces what a cut-off one left.
      const temp = `${path}${TEMP_SUFFIX}`;
      await client.put(temp, body);
      let moved: boolean;
      try {
        moved = await client.move(temp, path, { overwrite: !create });
      } catch (e) {
        // A server without MOVE still gets the file, written in place.
        if (!(e instanceof SyncError && e.code === 'server')) throw e;
        if (create && (await client.get(path)) !== null) moved = false;
        else {
          await client.put(path, body);
          moved = true;
        }
      }
      if (!moved) await client.remove(temp).catch(() => undefined);
      return moved;
    },

    async makeFolders(path) {
      const parts = path.split('/').filter((p) => p !== '');
      for (let i = 0; i <= parts.length; i++) {
        const folder = parts.slice(0, i).join('/');
        const response = await request('MKCOL', urlOf(folder, true));
        // 405: it exists already.
        await expect(response, `making the folder ${folder || base.pathname}`, (s) => (s >= 200 && s < 300) || s === 405);
      }
    },

    async move(from, to, options) {
      const overwrite = options?.overwrite ?? true;
      const response = await request('MOVE', urlOf(from), { headers: { Destination: urlOf(to).href, Overwrite: overwrite ? 'T' : 'F' } });
      // 412: the destination exists and may not be overwritten.
      if (!overwrite && response.status === 412) {
        await readBody(response);
        return false;
      }
      await expect(response, `moving ${from}`, (s) => s >= 200 && s < 300);
      return true;
    },

    async remove(path) {
      const response = await request('DELETE', urlOf(path));
      await expect(response, `deleting ${path}`, (s) => (s >= 200 && s < 300) || s === 404);
    },
  };
  return client;
}
