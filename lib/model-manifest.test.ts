import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  EncoderIdSchema,
  ModelFilePathSchema,
  ModelIdSchema,
  defaultVariant,
  downloadableModels,
  expectedSha256From,
  findEncoder,
  parseModelManifest,
  requiredFiles,
  transformersEncoderId,
  transformersModelFile,
} from './model-manifest';

const manifestJson = (): Record<string, unknown> & { models: Array<Record<string, unknown> & { variants: Array<Record<string, unknown>> }> } =>
  JSON.parse(readFileSync(join(__dirname, '..', 'models', 'manifest.json'), 'utf8'));

const SHA_A = 'a'.repeat(64);

/** A valid manifest with one downloadable model, for the negative cases to break one thing each. */
function download(overrides: Record<string, unknown> = {}, variant: Record<string, unknown> = {}): unknown {
  return {
    version: 1,
    models: [
      {
        id: 'Owner/tiny',
        name: 'tiny',
        delivery: 'download',
        languages: ['en'],
        dimensions: 32,
        maxTokens: 128,
        pooling: 'mean',
        runtime: 'transformers.js',
        variants: [
          {
            precision: 'q8',
            encoderId: 'Owner/tiny:q8',
            file: 'onnx/model_quantized.onnx',
            approxMB: 0.1,
            url: 'https://huggingface.co/Owner/tiny/resolve/main/onnx/model_quantized.onnx',
            sha256: SHA_A,
            ...variant,
          },
        ],
        supportFiles: ['config.json', 'tokenizer.json', 'tokenizer_config.json'],
        licence: 'Apache-2.0',
        source: 'test',
        ...overrides,
      },
    ],
  };
}

describe('the shipped models/manifest.json', () => {
  const manifest = parseModelManifest(manifestJson());

  it('parses, with the bundled encoder and both MiniLM downloads', () => {
    expect(manifest.models.map((m) => m.id)).toEqual(['use-lite', 'Xenova/all-MiniLM-L6-v2', 'Xenova/paraphrase-multilingual-MiniLM-L12-v2']);
    expect(downloadableModels(manifest).map((m) => m.id)).toEqual(['Xenova/all-MiniLM-L6-v2', 'Xenova/paraphrase-multilingual-MiniLM-L12-v2']);
  });

  it('resolves encoder ids to their model and variant', () => {
    const found = findEncoder(manifest, 'Xenova/all-MiniLM-L6-v2:q8');
    expect(found?.model.dimensions).toBe(384);
    expect(found?.variant.file).toBe('onnx/model_quantized.onnx');
    expect(findEncoder(manifest, 'use-lite-int8')?.variant.precision).toBe('int8');
    expect(findEncoder(manifest, 'Xenova/all-MiniLM-L6-v2:fp32')).toBeUndefined();
  });

  it('lists the files a download needs, the weights last', () => {
    const model = manifest.models.find((m) => m.id === 'Xenova/paraphrase-multilingual-MiniLM-L12-v2');
    expect(model).toBeDefined();
    const files = requiredFiles(model!, defaultVariant(model!));
    expect(files.map((f) => f.file)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']);
    // Nothing is pinned yet: the hub was unreachable when the manifest was written.
    expect(files.every((f) => f.sha256 === null)).toBe(true);
  });

  it('picks the variant marked default', () => {
    expect(defaultVariant(manifest.models.find((m) => m.id === 'use-lite')!).encoderId).toBe('use-lite-int8');
  });
});

describe('parseModelManifest', () => {
  it('accepts a well-formed download entry and exposes its pinned checksum', () => {
    const manifest = parseModelManifest(download());
    const expected = expectedSha256From(manifest);
    expect(expected('Owner/tiny', 'onnx/model_quantized.onnx')).toBe(SHA_A);
    expect(expected('Owner/tiny', 'config.json')).toBeNull();
    expect(expected('Other/model', 'onnx/model_quantized.onnx')).toBeNull();
  });

  it.each([
    ['a malformed sha256', {}, { sha256: 'ABC' }, /sha256/],
    ['an encoder id that is not "<id>:<dtype>"', {}, { encoderId: 'tiny-q8' }, /encoderId/],
    ['a file other than the one the dtype loads', {}, { file: 'onnx/model.onnx', url: 'https://huggingface.co/Owner/tiny/resolve/main/onnx/model.onnx' }, /ONNX file/],
    ['a URL for another file', {}, { url: 'https://huggingface.co/Owner/tiny/resolve/main/onnx/model.onnx' }, /hub URL/],
    ['a plain http URL', {}, { url: 'http://huggingface.co/Owner/tiny/resolve/main/onnx/model_quantized.onnx' }, /https/],
    ['a precision transformers.js does not know', {}, { precision: 'fp64' }, /precision/],
    ['missing tokenizer files', { supportFiles: ['config.json'] }, {}, /supportFiles/],
    ['an id that climbs out of its folder', { id: '../tiny' }, {}, /model id/],
    ['an unknown field', { colour: 'blue' }, {}, /colour/],
  ])('rejects %s', (_name, model, variant, message) => {
    expect(() => parseModelManifest(download(model, variant))).toThrow(message);
  });

  it('rejects duplicate model ids and duplicate encoder ids', () => {
    const json = manifestJson();
    json.models.push(json.models[1]!);
    expect(() => parseModelManifest(json)).toThrow(/model ids are unique/);
    const twoDefaults = manifestJson();
    twoDefaults.models[0]!.variants.forEach((variant) => (variant.default = true));
    expect(() => parseModelManifest(twoDefaults)).toThrow(/at most one default/);
  });

  it('names where the problem is', () => {
    const json = manifestJson();
    json.models[1]!.dimensions = -1;
    expect(() => parseModelManifest(json)).toThrow(/models\.1\.dimensions/);
  });
});

describe('names', () => {
  it('follows transformers.js file naming per dtype', () => {
    expect(transformersModelFile('fp32')).toBe('onnx/model.onnx');
    expect(transformersModelFile('q8')).toBe('onnx/model_quantized.onnx');
    expect(transformersModelFile('q4f16')).toBe('onnx/model_q4f16.onnx');
    expect(transformersEncoderId('Xenova/all-MiniLM-L6-v2', 'q8')).toBe('Xenova/all-MiniLM-L6-v2:q8');
  });

  it('validates model ids, file paths and encoder ids for messages and settings', () => {
    const ok = (schema: v.GenericSchema, value: string) => v.safeParse(schema, value).success;
    expect(ok(ModelIdSchema, 'Xenova/all-MiniLM-L6-v2')).toBe(true);
    expect(ok(ModelIdSchema, 'tiny')).toBe(true);
    for (const bad of ['a/b/c', '../x', 'a--b/c', '/abs', 'x y', '']) expect(ok(ModelIdSchema, bad)).toBe(false);
    expect(ok(ModelFilePathSchema, 'onnx/model_quantized.onnx')).toBe(true);
    for (const bad of ['../config.json', 'onnx/../../x', '/etc/passwd', 'a\\b', './config.json', '']) expect(ok(ModelFilePathSchema, bad)).toBe(false);
    expect(ok(EncoderIdSchema, 'Xenova/all-MiniLM-L6-v2:q8')).toBe(true);
    expect(ok(EncoderIdSchema, 'use-lite-int8')).toBe(true);
    expect(ok(EncoderIdSchema, 'x<script>')).toBe(false);
  });
});
