/**
 * What the built extension weighs: every file of the unpacked package, its size, and its
 * size deflated (zip's method, zlib level 6 as zip tools use by default), so the store
 * download can be estimated without building the .zip. The encoder's share (.wasm runtimes
 * and the .onnx model) is reported apart.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export interface PackagedFile {
  path: string;
  bytes: number;
  deflatedBytes: number;
}

export interface PackageSize {
  dir: string;
  files: number;
  totalBytes: number;
  totalDeflatedBytes: number;
  /** The .wasm and .onnx files, largest first. */
  encoderFiles: PackagedFile[];
  wasmBytes: number;
  onnxBytes: number;
  /** Everything that is neither .wasm nor .onnx. */
  restBytes: number;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

export function measurePackage(dir: string): PackageSize {
  const files: PackagedFile[] = listFiles(dir).map((path) => ({
    path: relative(dir, path),
    bytes: statSync(path).size,
    deflatedBytes: deflateRawSync(readFileSync(path), { level: 6 }).length,
  }));
  const sum = (list: PackagedFile[]) => list.reduce((n, f) => n + f.bytes, 0);
  const wasm = files.filter((f) => f.path.endsWith('.wasm'));
  const onnx = files.filter((f) => f.path.endsWith('.onnx'));
  const totalBytes = sum(files);
  return {
    dir,
    files: files.length,
    totalBytes,
    totalDeflatedBytes: files.reduce((n, f) => n + f.deflatedBytes, 0),
    encoderFiles: [...wasm, ...onnx].sort((a, b) => b.bytes - a.bytes),
    wasmBytes: sum(wasm),
    onnxBytes: sum(onnx),
    restBytes: totalBytes - sum(wasm) - sum(onnx),
  };
}
