// The import worker when Ratebook runs from its TypeScript sources (tests, tsx): tsx compiles the
// worker's modules on the fly. The bundled server uses .build/import-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
