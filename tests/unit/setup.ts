// Every unit test gets a fresh, in-memory IndexedDB so storage tests cannot leak into each other.
import 'fake-indexeddb/auto';

// Property tests (fast-check) run from a fixed seed, so a run is the same on every machine and a
// failure reproduces (set FC_SEED to explore others), and each property gives up after a time
// limit and fails, so a slow case or a long shrink fails the run instead of stalling it.
import fc from 'fast-check';

fc.configureGlobal({
  seed: Number(process.env.FC_SEED ?? 20261128),
  interruptAfterTimeLimit: 60_000,
  markInterruptAsFailure: true,
});
