// The run worker when Ratebook runs from its TypeScript sources (tests, tsx): tsx compiles the
// worker's modules on the fly. The bundled server uses .build/run-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./run-worker.ts');
