/**
 * The model manifest (models/manifest.json): which text encoders the product knows, how each
 * is delivered (bundled in the extension or downloaded on the learner's request), and what
 * the files of a download must hash to. Parsed once with valibot so that a typo in the
 * manifest fails the unit tests instead of a learner's download.
 *
 * Pure: the caller imports the JSON and hands it in.
 */
import * as v from 'valibot';

/**
 * A Hugging Face style model id ("owner/name" or "name"), as transformers.js accepts it; no
 * "..", no "--", so it can never climb out of a cache path.
 */
export const ModelIdSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(/^(?:[\w.-]{1,96}\/)?[\w.-]{1,96}$/, 'a model id is "owner/name" of letters, digits, "_", "-", "."'),
  v.check((id) => !id.includes('..') && !id.includes('--') && !id.startsWith('.'), 'a model id may not contain ".." or "--"'),
);

/** A file inside a model folder, e.g. "onnx/model_quantized.onnx": relative, no "..", no "\". */
export const ModelFilePathSchema = v.pipe(
  v.string(),
  v.maxLength(300),
  v.regex(/^[\w.-]+(?:\/[\w.-]+)*$/, 'a model file is a relative path of letters, digits, "_", "-", "." and "/"'),
  v.check((path) => path.split('/').every((part) => part !== '.' && part !== '..'), 'a model file path may not contain "." or ".." segments'),
);

const Sha256Schema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits'));

/** The weight formats in use: USE-lite's own names and transformers.js dtypes. */
export const PRECISIONS = ['fp32', 'fp16', 'int8', 'q8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

/** The transformers.js dtypes the product may ask for (a subset of PRECISIONS). */
export const TRANSFORMERS_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type TransformersDtype = (typeof TRANSFORMERS_DTYPES)[number];

/** transformers.js' file naming: dtype -> suffix of onnx/model<suffix>.onnx. */
const DTYPE_SUFFIX: Record<TransformersDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/** The ONNX file transformers.js loads for `dtype` (single-session encoders such as BERT). */
export function transformersModelFile(dtype: TransformersDtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

/**
 * The encoder id of a transformers.js model: model and weights, so embeddings of an fp32 and a
 * q8 copy never share a cache entry.
 */
export function transformersEncoderId(modelId: string, dtype: TransformersDtype): string {
  return `${modelId}:${dtype}`;
}

export function isTransformersDtype(precision: string): precision is TransformersDtype {
  return (TRANSFORMERS_DTYPES as readonly string[]).includes(precision);
}

/** What settings and messages carry to name an encoder: a variant's encoderId. */
export const EncoderIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(240), v.regex(/^[\w./:-]+$/, 'an encoder id is a model id, optionally ":" and a precision'));

const VariantSchema = v.strictObject({
  precision: v.picklist(PRECISIONS),
  encoderId: EncoderIdSchema,
  file: ModelFilePathSchema,
  approxMB: v.pipe(v.number(), v.gtValue(0), v.maxValue(10_000)),
  url: v.optional(v.pipe(v.string(), v.url(), v.startsWith('https://', 'downloads use https'))),
  /** Null until a verified download pins it (the build machine cannot reach the hub). */
  sha256: v.optional(v.nullable(Sha256Schema)),
  default: v.optional(v.boolean()),
});
export type ModelVariant = v.InferOutput<typeof VariantSchema>;

const ModelSchema = v.pipe(
  v.strictObject({
    id: ModelIdSchema,
    name: v.pipe(v.string(), v.minLength(1)),
    delivery: v.picklist(['bundled', 'download']),
    languages: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
    dimensions: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(8192)),
    maxTokens: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(8192)),
    pooling: v.string(),
    runtime: v.string(),
    directory: v.optional(v.string()),
    meta: v.optional(v.string()),
    tokenizer: v.optional(ModelFilePathSchema),
    variants: v.pipe(v.array(VariantSchema), v.minLength(1)),
    supportFiles: v.optional(v.array(ModelFilePathSchema)),
    licence: v.pipe(v.string(), v.minLength(1)),
    source: v.pipe(v.string(), v.minLength(1)),
    note: v.optional(v.string()),
  }),
  v.check((m) => m.variants.filter((x) => x.default === true).length <= 1, 'a model has at most one default variant'),
  v.check((m) => new Set(m.variants.map((x) => x.precision)).size === m.variants.length, 'a model lists each precision once'),
  // Downloads are loaded by transformers.js, so their names must be what it will ask for: the
  // id with the dtype, the dtype's ONNX file, a URL on the hub for that very file, and the
  // config and tokenizer files it reads before the weights.
  v.check(
    (m) => m.delivery !== 'download' || m.variants.every((x) => isTransformersDtype(x.precision) && x.encoderId === transformersEncoderId(m.id, x.precision)),
    'a downloaded variant has a transformers.js dtype as precision and "<model id>:<dtype>" as encoderId',
  ),
  v.check(
    (m) => m.delivery !== 'download' || m.variants.every((x) => isTransformersDtype(x.precision) && x.file === transformersModelFile(x.precision)),
    'a downloaded variant names the ONNX file transformers.js loads for its dtype',
  ),
  v.check((m) => m.delivery !== 'download' || m.variants.every((x) => x.url?.endsWith(`/${m.id}/resolve/main/${x.file}`) === true), 'a downloaded variant has the hub URL of its file'),
  v.check(
    (m) => m.delivery !== 'download' || ['config.json', 'tokenizer.json', 'tokenizer_config.json'].every((f) => m.supportFiles?.includes(f) === true),
    'a downloaded model lists config.json, tokenizer.json and tokenizer_config.json as supportFiles',
  ),
);
export type ManifestModel = v.InferOutput<typeof ModelSchema>;

export const ModelManifestSchema = v.pipe(
  v.strictObject({
    $comment: v.optional(v.string()),
    version: v.literal(1),
    models: v.pipe(v.array(ModelSchema), v.minLength(1)),
  }),
  v.check((m) => new Set(m.models.map((x) => x.id)).size === m.models.length, 'model ids are unique'),
  v.check((m) => {
    const ids = m.models.flatMap((x) => x.variants.map((y) => y.encoderId));
    return new Set(ids).size === ids.length;
  }, 'encoder ids are unique across the manifest'),
);
export type ModelManifest = v.InferOutput<typeof ModelManifestSchema>;

/** Parses the manifest or throws one error naming every problem and where it is. */
export function parseModelManifest(json: unknown): ModelManifest {
  const result = v.safeParse(ModelManifestSchema, json);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new Error(`models/manifest.json is invalid: ${problems.join('; ')}`);
}

/** The variant marked default, else the first. */
export function defaultVariant(model: ManifestModel): ModelVariant {
  return model.variants.find((x) => x.default === true) ?? (model.variants[0] as ModelVariant);
}

export interface ResolvedEncoder {
  readonly model: ManifestModel;
  readonly variant: ModelVariant;
}

/** Finds the model and variant behind an encoder id (what the settings store). */
export function findEncoder(manifest: ModelManifest, encoderId: string): ResolvedEncoder | undefined {
  for (const model of manifest.models) {
    const variant = model.variants.find((x) => x.encoderId === encoderId);
    if (variant) return { model, variant };
  }
  return undefined;
}

export function downloadableModels(manifest: ModelManifest): ManifestModel[] {
  return manifest.models.filter((m) => m.delivery === 'download');
}

export interface ModelFileSpec {
  readonly file: string;
  /** Null when the manifest does not pin it yet: the file is then stored unchecked. */
  readonly sha256: string | null;
}

/** Every file a variant of a downloaded model needs: support files first, then the weights. */
export function requiredFiles(model: ManifestModel, variant: ModelVariant): ModelFileSpec[] {
  return [...(model.supportFiles ?? []).map((file) => ({ file, sha256: null })), { file: variant.file, sha256: variant.sha256 ?? null }];
}

/** Looks up the pinned sha256 of (model id, file); null when the manifest does not know it. */
export type ExpectedSha256 = (modelId: string, file: string) => string | null;

export function expectedSha256From(manifest: ModelManifest): ExpectedSha256 {
  const table = new Map<string, string>();
  for (const model of manifest.models) {
    for (const variant of model.variants) {
      if (variant.sha256) table.set(`${model.id}\n${variant.file}`, variant.sha256);
    }
  }
  return (modelId, file) => table.get(`${modelId}\n${file}`) ?? null;
}
