// Registers an element once: a second customElements.define of a tag throws, which a page that
// loads the bundle twice (or a test page with its own copy) would otherwise hit.

export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
