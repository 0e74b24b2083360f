// The rating worker when Ratebook runs from its TypeScript sources (tests, tsx): tsx compiles
// the worker's modules on the fly. The bundled command line uses .build/rate-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./rate-worker.ts');
