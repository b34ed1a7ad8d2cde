import { startEncoderWorker } from '../../platform/encoder-host';

// The offscreen document's encoder worker: loads the text encoder and answers its document.
startEncoderWorker(self as unknown as Parameters<typeof startEncoderWorker>[0]);
