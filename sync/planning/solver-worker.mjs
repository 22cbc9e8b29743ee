// Entry of a solver thread. A worker thread does not inherit the loader hooks of the thread that
// started it (tsx under `takt start`, vite under vitest), so it registers tsx itself, then loads
// the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./solver-worker.ts');
