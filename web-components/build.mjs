// Bundles the review UI for the browser (SPEC §8): web-components/main.ts → .build/ui/assets/
// main-HASH.js (minified, no CDN) and .build/ui/index.html naming it. The content hash lets the
// server cache assets forever; index.html itself is served no-cache. Run by server/build.mjs.

import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/**
 * Vaadin's components report usage statistics from development pages unless the project opts out,
 * and npm 11 skips the install script that would: the bundle takes the opt-out module instead, so
 * the collecting code never reaches the browser.
 */
export const vaadinStatisticsOptOut = {
  name: 'vaadin-usage-statistics-opt-out',
  setup(b) {
    const require = createRequire(join(root, 'package.json'));
    const optOut = join(dirname(require.resolve('@vaadin/vaadin-usage-statistics/package.json')), 'vaadin-usage-statistics-optout.js');
    b.onResolve({ filter: /^@vaadin\/vaadin-usage-statistics(\/vaadin-usage-statistics(\.js)?)?$/ }, () => ({ path: optOut }));
  },
};

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f3a68"/><path d="M9 8h8.5a5.5 5.5 0 0 1 1.6 10.8L24 25h-4.3l-4.3-5.8H12.6V25H9zm3.6 3.2v4.9h4.6a2.45 2.45 0 0 0 0-4.9z" fill="#fff"/></svg>\n`;

const page = (script, css) => `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Ratebook</title>
    <link rel="icon" href="favicon.svg" type="image/svg+xml" />
    <style>${css}</style>
    <script type="module" src="assets/${script}"></script>
  </head>
  <body>
    <rb-app></rb-app>
    <noscript>The Ratebook workbench needs JavaScript.</noscript>
  </body>
</html>
`;

/** Colours and type for the whole page: every element reads these custom properties. */
export const PAGE_CSS = `
  :root {
    --rb-bg: #f4f6f9; --rb-surface: #fff; --rb-text: #1d2430; --rb-muted: #5b6575;
    --rb-border: #dde2ea; --rb-border-strong: #b9c1cd; --rb-hover: #eef2f7;
    --rb-header: #1f3a68; --rb-accent: #2458b3; --rb-accent-dark: #1b458f; --rb-accent-bg: #e8f0fd;
    --rb-link: #1f55b0; --rb-focus: #f0a500;
    --rb-error: #a3222d; --rb-error-bg: #fdeced; --rb-error-border: #f3b6bb;
    --rb-warning: #8a5a00; --rb-warning-bg: #fff3d6; --rb-notice: #335c8a; --rb-notice-bg: #e6eef8;
    --rb-ok: #1d6b3a; --rb-ok-bg: #e3f4e8; --rb-changed-bg: #fff0b3;
    color-scheme: light;
  }
  html, body { margin: 0; background: var(--rb-bg); color: var(--rb-text);
    font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
`.replace(/\s+/g, ' ').trim();

/** esbuild's options for a browser bundle of the elements (the test harness builds with them too). */
export const browserBundleOptions = () => ({
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  minify: true,
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.json'),
  plugins: [vaadinStatisticsOptOut],
});

/**
 * Builds into `outdir` (default .build/ui); answers the folder, the script's name and the assets.
 * The build is made in a folder of its own and swapped in whole: several builds at once (test runs
 * in one checkout) never see each other's half-written files, and old hashed files go with the old folder.
 */
export async function buildUi({ outdir = join(root, '.build', 'ui') } = {}) {
  const tag = randomBytes(6).toString('hex');
  const fresh = `${outdir}.new-${tag}`;
  const assets = join(fresh, 'assets');
  await mkdir(assets, { recursive: true });
  try {
    const result = await build({
      ...browserBundleOptions(),
      entryPoints: { main: join(here, 'main.ts') },
      outdir: assets,
      entryNames: '[name]-[hash]',
      sourcemap: 'linked',
      legalComments: 'linked',
      metafile: true,
    });
    const script = Object.keys(result.metafile.outputs).find((f) => f.endsWith('.js'));
    if (!script) throw new Error('the UI build wrote no script');
    await writeFile(join(fresh, 'index.html'), page(basename(script), PAGE_CSS));
    await writeFile(join(fresh, 'favicon.svg'), FAVICON);
    const old = `${outdir}.old-${tag}`;
    for (let attempt = 0; ; attempt++) {
      await rename(outdir, old).catch((e) => {
        if (e.code !== 'ENOENT') throw e;
      });
      try {
        await rename(fresh, outdir);
        break;
      } catch (e) {
        // Another build put its folder in place between our two renames: swap again.
        if (!['ENOTEMPTY', 'EEXIST'].includes(e.code) || attempt >= 5) throw e;
      }
      await rm(old, { recursive: true, force: true });
    }
    await rm(old, { recursive: true, force: true });
    return { outdir, script: basename(script), files: await readdir(join(outdir, 'assets')) };
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildUi();
