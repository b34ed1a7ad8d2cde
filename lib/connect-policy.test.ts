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
    const s = new URL(source.replace('*.', 'wildcard.'));
    if (s.protocol !== u.protocol || (s.port || '') !== (u.port || '')) return false;
    return source.includes('*.') ? u.hostname.endsWith(s.hostname.slice('wildcard'.length)) : u.hostname === s.hostname;
  });
}


describe('connect-src of the extension pages', () => {
  it('allows exactly the extension itself, the model hub and its storage hosts, and AnkiConnect', () => {
    expect(CONNECT_SOURCES).toEqual(["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'http://127.0.0.1:8765']);
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

  it('refuses everything else', () => {
    for (const url of ['https://cdn.jsdelivr.net/npm/onnxruntime-web/dist/ort.wasm', 'https://evilhuggingface.co/x', 'https://huggingface.co.evil.example/x', 'http://huggingface.co/x', 'http://127.0.0.1:8080/', 'https://hf.co.evil/x']) {
      expect(connectAllowed(url, 'chrome-extension://abc'), url).toBe(false);
    }
  });
});
