import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemoUsageError, parseDemoArgs } from '../../scripts/demo-args';

const dir = mkdtempSync(join(tmpdir(), 'demo-args-'));
const page = join(dir, 'page.html');
writeFileSync(page, '<p>text</p>');

function usageError(argv: string[]): string {
  try {
    parseDemoArgs(argv, page, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DemoUsageError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(argv)}`);
}

describe('the demo command line', () => {
  it('runs the default page with the default interests when given nothing', () => {
    expect(parseDemoArgs([], page, dir)).toEqual({ pageFile: page, interests: ['rivers and floods', 'city planning'] });
  });

  it('finds a relative page from the folder the command was typed in', () => {
    expect(parseDemoArgs(['--page', 'page.html', '--interests', 'jazz, ,  sailing'], '/nowhere.html', dir)).toEqual({ pageFile: page, interests: ['jazz', 'sailing'] });
  });

  it('takes an empty interests list as a learner with none', () => {
    expect(parseDemoArgs(['--interests', ''], page, dir)).toEqual({ pageFile: page, interests: [] });
  });

  it('answers help for --help and -h, before looking at any page', () => {
    expect(parseDemoArgs(['--help', '--page', 'missing.html'], page, dir)).toBe('help');
    expect(parseDemoArgs(['-h'], page, dir)).toBe('help');
  });

  it('names the missing page, a folder given as a page, a missing value and an unknown option', () => {
    expect(usageError(['--page', 'missing.html'])).toBe(`No page at ${join(dir, 'missing.html')}: check the path given to --page.`);
    expect(usageError(['--page', dir])).toContain('is a folder, not a page');
    expect(usageError(['--page'])).toContain("'--page <value>' argument missing");
    expect(usageError(['--page', '  '])).toContain('--page needs a file name');
    expect(usageError(['--colour', 'red'])).toContain("Unknown option '--colour'");
    expect(usageError(['extra.html'])).toContain('extra.html');
  });
});
