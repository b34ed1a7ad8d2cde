/** Constants the build defines (wxt.config.ts). */
interface ImportMetaEnv {
  /** Whether the shipped onnxruntime-web build carries the WebGPU provider; absent outside a build. */
  readonly ORT_WEBGPU?: boolean;
}
