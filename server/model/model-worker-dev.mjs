// The model worker when Ratebook runs from its TypeScript sources (tests, tsx): tsx compiles the
// worker's modules on the fly. The bundled server uses .build/model-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./model-worker.ts');
