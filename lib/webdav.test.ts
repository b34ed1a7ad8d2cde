import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutFirstUpload, syncFailure } from '../tests/webdav/faults';
import { startWebDavServer, type TestWebDavServer } from '../tests/webdav/server';
import { TEMP_SUFFIX, createWebDavClient, parseMultistatus } from './webdav';

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('WebDAV client against a real WebDAV server', () => {
  let server: TestWebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ user: 'ana', password: 'app-token-1', folder: 'Reader' });
  });
  afterAll(async () => {
    await server.stop();
  });
  const client = (password = 'app-token-1', extra: { fetch?: typeof fetch } = {}) => createWebDavClient({ baseUrl: server.url, user: 'ana', password, timeoutMs: 5000, ...extra });

  it('makes folders, writes, lists and reads files, and deletes them', async () => {
    const c = client();
    await c.makeFolders('segments/laptop');
    await c.makeFolders('segments/laptop'); // already there: fine
    await c.put('segments/laptop/00000001.arsy', bytes(1000));
    await c.putAtomic('segments/laptop/00000002.arsy', bytes(70_000, 2));
    expect(await c.list('')).toMatchObject([{ name: 'segments', isFolder: true }]);
    expect(await c.list('segments/laptop')).toMatchObject([
      { name: '00000001.arsy', isFolder: false, size: 1000 },
      { name: '00000002.arsy', isFolder: false, size: 70_000 },
    ]);
    expect(await c.get('segments/laptop/00000002.arsy')).toEqual(bytes(70_000, 2));
    expect(await c.get('segments/laptop/00000009.arsy')).toBeNull();
    expect(await c.list('segments/desktop')).toEqual([]);
    await c.remove('segments/laptop/00000001.arsy');
    await c.remove('segments/laptop/00000001.arsy'); // already gone: fine
    expect((await c.list('segments/laptop')).map((e) => e.name)).toEqual(['00000002.arsy']);
    expect(c.traffic.sent).toBeGreaterThanOrEqual(71_000);
    expect(c.traffic.received).toBeGreaterThanOrEqual(70_000);
  });

  it('creating a file that exists leaves it alone and says so', async () => {
    const c = client();
    await c.makeFolders('create');
    expect(await c.putAtomic('create/account.arsy', bytes(10, 1), { create: true })).toBe(true);
    expect(await c.putAtomic('create/account.arsy', bytes(10, 2), { create: true })).toBe(false);
    expect(await c.get('create/account.arsy')).toEqual(bytes(10, 1));
    expect(await c.putAtomic('create/account.arsy', bytes(10, 3))).toBe(true);
    expect(await c.get('create/account.arsy')).toEqual(bytes(10, 3));
    expect((await c.list('create', { withTemporary: true })).map((e) => e.name)).toEqual(['account.arsy']);
  });

  it('names with spaces and non-ASCII letters survive the round trip', async () => {
    const c = client();
    await c.makeFolders('Übung 1');
    await c.put('Übung 1/Straße & Co.arsy', bytes(10));
    expect((await c.list('Übung 1')).map((e) => e.name)).toEqual(['Straße & Co.arsy']);
    expect(await c.get('Übung 1/Straße & Co.arsy')).toEqual(bytes(10));
  });

  it('a wrong password is "unauthorized", for reading and for writing', async () => {
    const c = client('app-token-2');
    expect(await syncFailure(c.list(''))).toBe('unauthorized');
    expect(await syncFailure(c.get('segments/laptop/00000002.arsy'))).toBe('unauthorized');
    expect(await syncFailure(c.put('x.arsy', bytes(5)))).toBe('unauthorized');
    expect(await client().get('x.arsy')).toBeNull();
  });

  it('a stopped server is "unreachable", and works again once it is back', async () => {
    const c = client();
    await server.stop();
    try {
      expect(await syncFailure(c.get('segments/laptop/00000002.arsy'))).toBe('unreachable');
    } finally {
      await server.restart();
    }
    expect(await c.get('segments/laptop/00000002.arsy')).toEqual(bytes(70_000, 2));
  });

  it('an upload cut off half-way leaves no half file under its name, and its retry leaves exactly one whole file', async () => {
    const c0 = client();
    await c0.makeFolders('cut');
    const body = bytes(200_000, 7);
    // The network: the first PUT sends half its bytes, then the server goes away.
    const cuttingFetch = cutFirstUpload(server);
    const c = client('app-token-1', { fetch: cuttingFetch });
    try {
      expect(await syncFailure(c.putAtomic('cut/00000001.arsy', body))).toBe('unreachable');
    } finally {
      await server.restart();
    }
    // The cut-off upload left only its temporary file behind.
    expect((await c0.list('cut', { withTemporary: true })).map((e) => e.name)).toEqual([`00000001.arsy${TEMP_SUFFIX}`]);
    expect(await c0.get('cut/00000001.arsy')).toBeNull();
    await c.putAtomic('cut/00000001.arsy', body);
    expect(await c0.get('cut/00000001.arsy')).toEqual(body);
    expect((await c0.list('cut', { withTemporary: true })).map((e) => e.name)).toEqual(['00000001.arsy']);
  });

  it('refuses an address that is not http(s)', () => {
    expect(() => createWebDavClient({ baseUrl: 'ftp://example.org/', user: 'a', password: 'b' })).toThrow(RangeError);
  });
});

describe('WebDAV listings from other servers', () => {
  it('reads a Nextcloud-style multistatus (other prefixes, encoded names, the folder itself left out, temporary files hidden)', () => {
    const folder = new URL('https://cloud.example.org/remote.php/dav/files/ana/Reader/segments/');
    const xml = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">
 <d:response><d:href>/remote.php/dav/files/ana/Reader/segments/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/remote.php/dav/files/ana/Reader/segments/lap%20top/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype><d:getetag>&quot;5f1a&quot;</d:getetag></d:prop></d:propstat></d:response>
 <D:response xmlns:D="DAV:"><D:href>https://cloud.example.org/remote.php/dav/files/ana/Reader/segments/00000001.arsy</D:href>
  <D:propstat><D:prop><D:resourcetype/><D:getcontentlength>1234</D:getcontentlength></D:prop></D:propstat></D:response>
 <d:response><d:href>/remote.php/dav/files/ana/Reader/segments/00000002.arsy${TEMP_SUFFIX}</d:href>
  <d:propstat><d:prop><d:resourcetype/><d:getcontentlength>99</d:getcontentlength></d:prop></d:propstat></d:response>
</d:multistatus>`;
    expect(parseMultistatus(xml, folder)).toEqual([
      { name: '00000001.arsy', isFolder: false, size: 1234, etag: null },
      { name: 'lap top', isFolder: true, size: null, etag: '"5f1a"' },
    ]);
    expect(parseMultistatus(xml, folder, { withTemporary: true }).map((e) => e.name)).toContain(`00000002.arsy${TEMP_SUFFIX}`);
  });
});

describe('WebDAV client: a server that may not, or cannot, store more', () => {
  it('a write refused to a read-only account is "forbidden"; a full server is "insufficient-storage"', async () => {
    const server = await startWebDavServer({ user: 'ana', password: 'pw', reader: { user: 'guest', password: 'pw2' }, storageLimit: 50_000 });
    try {
      const ana = createWebDavClient({ baseUrl: server.url, user: 'ana', password: 'pw' });
      await ana.makeFolders('');
      await ana.put('small.arsy', bytes(1000));
      const guest = createWebDavClient({ baseUrl: server.url, user: 'guest', password: 'pw2' });
      expect(await guest.get('small.arsy')).toEqual(bytes(1000));
      expect(await syncFailure(guest.put('mine.arsy', bytes(10)))).toBe('forbidden');
      expect(await syncFailure(ana.put('big.arsy', bytes(100_000)))).toBe('insufficient-storage');
      expect(await ana.get('small.arsy')).toEqual(bytes(1000));
    } finally {
      await server.stop();
    }
  });
});
