/** Constants the build defines (wxt.config.ts). */
interface ImportMetaEnv {
  /** Whether the shipped onnxruntime-web build carries the WebGPU provider; absent outside a build. */
  readonly ORT_WEBGPU?: boolean;
  /** The encoder's WASM threads, forced for the benchmark (platform/encoder-host.ts); absent otherwise. */
  readonly WXT_ENCODER_THREADS?: string;
}
