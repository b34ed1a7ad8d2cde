/**
 * The demo's command line: `--page`, `--interests`, `--help`. Every mistake (an unknown
 * option, a missing value, a page that does not exist or cannot be read) is found here, before
 * a browser starts, and reported as one line that says what to do; no stack trace.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const DEMO_USAGE = `Usage: npm run demo -- [--page FILE.html] [--interests "a, b"]

Builds the extension, opens a page in headless Chromium with it, waits for the highlights and
writes demo-output/page.png, demo-output/popup.png and demo-output/report.txt.

  --page FILE        an HTML file on this machine (default: tests/fixtures/article.html); it
                     is served from its folder, so its images and styles load too
  --interests LIST   the learner's stated interests, comma-separated (default: "rivers and
                     floods, city planning"); --interests "" shows the choice of a new learner
                     by level alone
  -h, --help         this text`;

export interface DemoArgs {
  pageFile: string;
  interests: string[];
}

/** A mistake in the command line: its message is all the learner needs to read. */
export class DemoUsageError extends Error {}

const DEFAULT_INTERESTS = 'rivers and floods, city planning';

/** The demo's options, or 'help'; throws DemoUsageError for anything it cannot run with. */
export function parseDemoArgs(argv: readonly string[], defaultPage: string, cwd = process.env.INIT_CWD ?? process.cwd()): DemoArgs | 'help' {
  let values: { page?: string; interests?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { page: { type: 'string' }, interests: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    // node:util's messages name the option; the stack says nothing more to a learner.
    throw new DemoUsageError((e as Error).message);
  }
  if (values.help) return 'help';
  if (values.page !== undefined && values.page.trim() === '') throw new DemoUsageError('--page needs a file name, for example --page my-article.html');
  // `npm run` starts scripts in the project's folder; a relative --page means the folder the
  // learner typed the command in, which npm passes on as INIT_CWD.
  const pageFile = values.page === undefined ? defaultPage : resolve(cwd, values.page);
  checkReadablePage(pageFile);
  const interests = (values.interests ?? DEFAULT_INTERESTS).split(',').map((s) => s.trim()).filter(Boolean);
  return { pageFile, interests };
}

function checkReadablePage(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new DemoUsageError(`No page at ${file}: check the path given to --page.`);
  }
  if (!isFile) throw new DemoUsageError(`${file} is a folder, not a page: give --page an .html file.`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new DemoUsageError(`${file} cannot be read (permission denied).`);
  }
}
