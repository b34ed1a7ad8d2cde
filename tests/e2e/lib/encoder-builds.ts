/**
 * Broken copies of the built extension, for the fallback tests: the same package with the
 * encoder's weights missing or replaced by random bytes, as a damaged install or a failed
 * update would leave it. The copy lives in a temporary folder; the real build is untouched.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_DIR, assertBuilt, grantedCopyDir } from '../harness';

/** Where the bundled model sits inside the package (wxt.config.ts RUNTIME_ASSETS). */
export const PACKAGED_MODEL = 'models/use-lite/model.int8.onnx';

export type ModelDamage = 'missing' | 'corrupt';

export interface DamagedBuild {
  dir: string;
  remove(): void;
}

export function buildWithDamagedModel(damage: ModelDamage, source = EXTENSION_DIR): DamagedBuild {
  assertBuilt(source);
  const original = join(source, PACKAGED_MODEL);
  if (!existsSync(original)) throw new Error(`${original} is missing from the build itself: rebuild with "npm run build:chrome".`);
  const dir = mkdtempSync(join(tmpdir(), `attention-reader-${damage}-model-`));
  cpSync(source, dir, { recursive: true });
  const model = join(dir, PACKAGED_MODEL);
  if (damage === 'missing') rmSync(model);
  // Same size as the real file, so only its content is wrong.
  else writeFileSync(model, randomBytes(statSync(original).size));
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      // The copy launch() makes with the test sites granted (harness buildWithGrantedSites).
      rmSync(grantedCopyDir(dir), { recursive: true, force: true });
      rmSync(`${grantedCopyDir(dir)}.from`, { force: true });
    },
  };
}
