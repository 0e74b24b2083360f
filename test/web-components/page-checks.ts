// Checks a test runs on any screen: every control has a name people (and screen readers) can read.

import type { Page } from 'playwright-core';

/**
 * Inputs, selects, buttons and links inside the rb-* elements (through their shadow roots, not
 * into vaadin's own) that have no accessible name: a label, aria-label(ledby), or text.
 */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const named = (el: Element): boolean => {
      const aria = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
      if (aria && aria.trim()) return true;
      if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && el.labels && el.labels.length > 0) return true;
      if ((el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) && (el.textContent ?? '').trim()) return true;
      return false;
    };
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('input, select, textarea, button, a[href]')) {
        if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
        if (!named(el)) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} in ${root instanceof ShadowRoot ? root.host.tagName.toLowerCase() : 'document'}`);
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot && el.tagName.toLowerCase().startsWith('rb-')) visit(el.shadowRoot);
    };
    visit(document);
    return out;
  });
}

/** The text of what `locator` finds, through shadow roots (textContent stops at them). */
export function deepText(locator: import('playwright-core').Locator): Promise<string> {
  return locator.first().evaluate((root) => {
    const parts: string[] = [];
    const walk = (n: Node): void => {
      if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
      if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
      if (n instanceof HTMLSlotElement) return;
      for (const c of n.childNodes) walk(c);
    };
    walk(root);
    return parts.join('').replace(/\s+/g, ' ').trim();
  });
}
