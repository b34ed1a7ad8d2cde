/**
 * A front for the test WebDAV server that breaks off one upload half-way, for the browser
 * tests (a browser's own fetch cannot be swapped for faults.ts's `cutFirstUpload`): every
 * request is passed through to the server untouched until a cut is armed; then the next PUT
 * whose path matches gets only part of its body through, its connection drops, and the
 * front stops answering altogether (the server has gone away) until `restart`.
 *
 * The server behind sees a PUT whose body ends early, as it would when the network or the
 * server itself went down mid-upload.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWebDavServer } from './server';

export interface CutUpload {
  /** The request path of the upload that was cut. */
  readonly path: string;
  /** Bytes the upload announced (Content-Length), and bytes let through before the cut. */
  readonly total: number;
  readonly passed: number;
}

export interface UploadCuttingFront {
  /** The server's sync folder, reached through the front. */
  readonly url: string;
  /**
   * Arms one cut: the next PUT whose path contains `pathPart` gets `fraction` of its body
   * through, then its connection drops and the front stops listening. Resolves once cut.
   */
  cutNextUpload(pathPart: string, fraction?: number): Promise<CutUpload>;
  /** Listens again on the same port (the server is back). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startUploadCuttingFront(server: TestWebDavServer): Promise<UploadCuttingFront> {
  let armed: { pathPart: string; fraction: number; done(cut: CutUpload): void } | null = null;
  let http: Server | undefined;

  const stopListening = () => {
    const s = http;
    http = undefined;
    s?.close();
    s?.closeAllConnections();
  };

  function pass(req: IncomingMessage, res: ServerResponse) {
    const upstream = request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    const cut = armed && req.method === 'PUT' && (req.url ?? '').includes(armed.pathPart) ? armed : null;
    if (!cut) {
      req.pipe(upstream);
      return;
    }
    armed = null;
    const total = Number(req.headers['content-length'] ?? 0);
    const limit = Math.max(1, Math.floor(total * cut.fraction));
    let passed = 0;
    req.on('data', (chunk: Buffer) => {
      if (passed >= limit) return;
      const part = chunk.subarray(0, limit - passed);
      passed += part.length;
      if (passed < limit) {
        upstream.write(part);
        return;
      }
      // The last bytes reach the server, then everything goes away mid-body.
      upstream.write(part, () => {
        stopListening();
        upstream.destroy();
        cut.done({ path: req.url ?? '', total, passed });
      });
    });
  }

  const listen = (port: number) =>
    new Promise<void>((resolve) => {
      const s = createServer(pass);
      s.listen(port, '127.0.0.1', () => {
        http = s;
        resolve();
      });
    });
  await listen(0);
  const port = (http!.address() as AddressInfo).port;
  const folder = new URL(server.url);
  folder.port = String(port);
  return {
    url: folder.href,
    cutNextUpload(pathPart, fraction = 0.5) {
      if (!(fraction > 0 && fraction < 1)) throw new RangeError('A cut lets part of the body through: 0 < fraction < 1.');
      return new Promise<CutUpload>((done) => {
        armed = { pathPart, fraction, done };
      });
    },
    async restart() {
      if (!http) await listen(port);
    },
    async close() {
      armed = null;
      stopListening();
    },
  };
}
