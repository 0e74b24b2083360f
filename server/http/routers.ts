// Every /api router the workbench serves, in one list: serve.ts mounts them all, and the
// OpenAPI document lists every route they declare.

import type { RouterFactory } from './app.js';
import { billRoutes } from './routes/bills.js';
import { runRoutes } from './routes/runs.js';
import { searchRoutes } from './routes/search.js';
import { versionRoutes } from './routes/versions.js';
import { sheetsRoutes } from './routes/sheets.js';
import { closedLoopRoutes } from './routes/closed-loop.js';
import { downloadRoutes } from './routes/downloads.js';

export const ROUTERS: RouterFactory[] = [versionRoutes, searchRoutes, runRoutes, billRoutes, sheetsRoutes, closedLoopRoutes, downloadRoutes];
