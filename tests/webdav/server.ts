/**
 * A real WebDAV server on 127.0.0.1 (the webdav-server package, files kept in memory) for
 * the sync tests and the sync bench: one user with Basic authentication (and, when asked, a
 * read-only one and a storage limit), a free port, and stop/restart on the same port with
 * the same files, to cut a sync off half-way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v2 as webdav } from 'webdav-server';

export interface TestWebDavServer {
  /** The sync folder's address, with a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and cuts every open connection (an upload in flight breaks off). */
  stop(): Promise<void>;
  /** Listens again on the same port, with the same files. */
  restart(): Promise<void>;
}

export interface TestWebDavServerOptions {
  user: string;
  password: string;
  folder?: string;
  /** A second account that may only read (its writes get 403). */
  reader?: { user: string; password: string };
  /** Bytes each user may store (beyond it, writes get 507). */
  storageLimit?: number;
}

export async function startWebDavServer(options: TestWebDavServerOptions): Promise<TestWebDavServer> {
  const users = new webdav.SimpleUserManager();
  const user = users.addUser(options.user, options.password, false);
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(user, '/', ['all']);
  if (options.reader) privileges.setRights(users.addUser(options.reader.user, options.reader.password, false), '/', ['canRead']);
  const readerName = options.reader?.user;
  const server = new webdav.WebDAVServer({
    hostname: '127.0.0.1',
    port: 0,
    requireAuthentification: true,
    httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'sync'),
    privilegeManager: privileges,
    ...(options.storageLimit !== undefined ? { storageManager: new webdav.PerUserStorageManager(options.storageLimit) } : {}),
  });
  // A write by the read-only account gets 403, as Nextcloud and most servers answer it
  // (webdav-server itself would answer 401).
  if (readerName) {
    server.beforeRequest((ctx, next) => {
      if (ctx.user?.username === readerName && !['GET', 'HEAD', 'PROPFIND', 'OPTIONS'].includes(ctx.request.method ?? '')) {
        ctx.setCode(403);
        ctx.exit();
      } else next();
    });
  }
  let http: Server | undefined;
  const listen = (port: number) =>
    new Promise<void>((resolve) => {
      server.start(port, (s) => {
        http = s as Server;
        resolve();
      });
    });
  await listen(0);
  const port = (http!.address() as AddressInfo).port;
  const folder = (options.folder ?? 'sync').replace(/^\/+|\/+$/g, '');
  return {
    url: `http://127.0.0.1:${port}/${folder}/`,
    port,
    async stop() {
      const s = http;
      http = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        server.stop(() => resolve());
        s.closeAllConnections();
      });
    },
    async restart() {
      if (!http) await listen(port);
    },
  };
}
