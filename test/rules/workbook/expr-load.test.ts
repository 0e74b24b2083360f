// mathjs takes about 0.5 s to load, so rules/expr.ts loads it on the first expression compiled:
// the command line and the rating worker must not import it when their module graph loads.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('loading mathjs', () => {
  it('the command line and the rating worker, bundled as the build bundles them, import no mathjs at load', async () => {
    const out = await build({
      entryPoints: [join(root, 'server/cli/cli.ts'), join(root, 'server/runs/rate-worker.ts')],
      outdir: '/out',
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    expect(out.outputFiles).toHaveLength(2);
    for (const f of out.outputFiles) {
      // The expression compiler is in both bundles; only its lazy require may name mathjs.
      expect(f.text).toContain('compileExpression');
      expect(f.text).not.toMatch(/(from|import\()\s*["']mathjs["']/);
    }
  });

  it('the first expression compiled loads it, and compiles as before', () => {
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('/node_modules/mathjs/'));
      const { compileExpression } = await import('./rules/workbook/expr.ts');
      const before = loaded();
      const e = compileExpression('value * 2 + 1', ['value']);
      const after = loaded();
      const v = e.ok ? e.value.evaluate({ value: 20 }) : e;
      const bad = compileExpression('value +', ['value']);
      console.log(JSON.stringify({ before, after, v, bad: bad.ok }));
    `;
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const out = execFileSync(tsx, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ before: false, after: true, v: { ok: true, value: 41 }, bad: false });
  });
});
