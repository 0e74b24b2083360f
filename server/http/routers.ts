// Every /api router the workbench serves, in one list: serve.ts mounts them all, and the
// OpenAPI document lists every route they declare.

import type { RouterFactory } from './app.js';

export const ROUTERS: RouterFactory[] = [];
