/**
 * bench:extract survives pages that misbehave: a page that navigates itself away while it is
 * read with scripts off (a <noscript> meta refresh) is still read, and a page that cannot be
 * read at all costs only itself (counted and named) while the rest of the set is scored.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const body = (topic: string) =>
  [1, 2, 3]
    .map((n) => `Paragraph ${n} about ${topic} says what happened on day ${n}, who was there, and what the town decided to do about it afterwards.`)
    .join('\n');
const page = (head: string, topic: string) =>
  `<!doctype html><html><head>${head}<title>${topic}</title></head><body><nav><a href="/">Home</a></nav><article>${body(topic)
    .split('\n')
    .map((p) => `<p>${p}</p>`)
    .join('')}</article></body></html>`;

describe('bench:extract on pages that misbehave', () => {
  const dir = mkdtempSync(join(tmpdir(), 'extract-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a page that refreshes itself away, and counts a page it cannot read without stopping', () => {
    mkdirSync(join(dir, 'html'));
    const pages: Record<string, string> = {
      plain: page('', 'the harbour'),
      refresh: page('<noscript><meta http-equiv="refresh" content="0;url=https://example.invalid/elsewhere"></noscript>', 'the bridge'),
      zzz: page('', 'the market'),
    };
    for (const [id, html] of Object.entries(pages)) writeFileSync(join(dir, 'html', `${id}.html.gz`), gzipSync(html));
    const truth = {
      plain: { articleBody: body('the harbour') },
      refresh: { articleBody: body('the bridge') },
      // Listed in the truth, but its page is missing: it cannot be read.
      missing: { articleBody: body('the mill') },
      zzz: { articleBody: body('the market') },
    };
    writeFileSync(join(dir, 'ground-truth.json'), JSON.stringify(truth));
    const out = join(dir, 'out.json');
    const predictions = join(dir, 'pred.json');
    const stdout = execFileSync('npx', ['tsx', 'bench/extract.ts', dir, '--runs', '0', '--json', out, '--predictions', predictions], { encoding: 'utf8', timeout: 150_000 });
    expect(stdout).toMatch(/failed pages \(left out of both sides\): 1/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { pages: number; failed: { id: string }[]; perPage: { id: string; ours: { f1: number } }[] };
    expect(report.failed.map((f) => f.id)).toEqual(['missing']);
    expect(report.pages).toBe(3);
    for (const p of report.perPage) expect(p.ours.f1, p.id).toBeGreaterThan(0.95);
    const predicted = JSON.parse(readFileSync(predictions, 'utf8')) as Record<string, { articleBody: string }>;
    expect(predicted.refresh?.articleBody).toContain('Paragraph 3 about the bridge');
  });
});
