// The browser bundle as `npm run build` leaves it in .build/ui (the suite's setup builds it).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ui = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '.build', 'ui');

describe('the UI bundle', () => {
  it('is one script with a content hash in its name, named by index.html', async () => {
    const html = await readFile(join(ui, 'index.html'), 'utf8');
    const assets = await readdir(join(ui, 'assets'));
    const scripts = assets.filter((f) => f.endsWith('.js'));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^main-[A-Z0-9]{8}\.js$/);
    expect(html).toContain(`src="assets/${scripts[0]}"`);
    expect(html).toContain('<rb-app></rb-app>');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await readFile(join(ui, 'assets', scripts[0]));
    console.log(`UI bundle ${scripts[0]}: ${js.length} bytes, ${gzipSync(js).length} gzipped`);
  });

  it('loads nothing from elsewhere and carries no usage-statistics collector', async () => {
    const [script] = (await readdir(join(ui, 'assets'))).filter((f) => f.endsWith('.js'));
    const js = await readFile(join(ui, 'assets', script), 'utf8');
    const urls = [...new Set(js.match(/https?:\/\/[^\s"'`)]+/g) ?? [])];
    // SVG's namespace is a name, not a request.
    expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
    expect(js).not.toContain('tools.vaadin.com');
    expect(js).not.toContain('vaadin.statistics');
  });
});
