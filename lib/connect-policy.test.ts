import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_LOCATIONS } from '../platform/encoder/model-store';
import { ANKI_CONNECT_URL } from './anki';
import { CONNECT_SOURCES, EXTENSION_PAGES_CSP } from './connect-policy';

const SELF = 'chrome-extension://abc/';

/** Whether a URL's origin is one of the sources above (CSP host matching, `*.` for any subdomain). */
function connectAllowed(url: string, selfOrigin: string): boolean {
  const u = new URL(url);
  if (u.origin === selfOrigin) return true;
  return CONNECT_SOURCES.some((source) => {
    if (source === "'self'") return false;
    // A scheme source: any host over that scheme.
    if (/^[a-z]+:$/.test(source)) return u.protocol === source;
    if (source.endsWith(':*')) {
      const s = new URL(source.slice(0, -2));
      return s.protocol === u.protocol && s.hostname === u.hostname;
    }
    const s = new URL(source.replace('*.', 'wildcard.'));
    if (s.protocol !== u.protocol || (s.port || '') !== (u.port || '')) return false;
    return source.includes('*.') ? u.hostname.endsWith(s.hostname.slice('wildcard'.length)) : u.hostname === s.hostname;
  });
}


describe('connect-src of the extension pages', () => {
  it('allows exactly the extension itself, the model hub and its storage hosts, AnkiConnect, and a sync server over https or on this computer', () => {
    expect(CONNECT_SOURCES).toEqual(["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'http://127.0.0.1:8765', 'https:', 'http://127.0.0.1:*', 'http://localhost:*']);
    expect(EXTENSION_PAGES_CSP).toBe(`script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; connect-src ${CONNECT_SOURCES.join(' ')}`);
  });

  it('covers every address a model download or an Anki push uses', () => {
    const manifest = readFileSync(join(import.meta.dirname, '../models/manifest.json'), 'utf8');
    const urls = [...manifest.matchAll(/"url":\s*"([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of [...urls, `${DEFAULT_MODEL_LOCATIONS.remoteHost}Xenova/x/resolve/main/config.json`, `${ANKI_CONNECT_URL}/`]) expect(connectAllowed(url, 'chrome-extension://abc'), url).toBe(true);
    // Where the hub hands large files over.
    for (const url of ['https://cas-bridge.xethub.hf.co/x', 'https://cdn-lfs-us-1.hf.co/x', 'https://cdn-lfs.huggingface.co/x']) expect(connectAllowed(url, SELF), url).toBe(true);
  });

  it('covers a sync server over https anywhere, and over plain http on this computer', () => {
    for (const url of ['https://cloud.example.org/remote.php/dav/files/ana/Reader/', 'http://127.0.0.1:41234/dav/', 'http://localhost:8080/dav/']) expect(connectAllowed(url, SELF), url).toBe(true);
  });

  it('refuses plain http to any other host, and every other scheme', () => {
    for (const url of ['http://huggingface.co/x', 'http://192.168.1.20/dav/', 'http://cloud.example.org/dav/', 'ws://127.0.0.1:8765/', 'ftp://example.org/']) {
      expect(connectAllowed(url, 'chrome-extension://abc'), url).toBe(false);
    }
  });
});
