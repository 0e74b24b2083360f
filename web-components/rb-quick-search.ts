// The QuickSearch box on every screen (SPEC §8): an account, a name, a company or any digits of a
// number; it opens #/search?q=… where the results are.

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { hashOf } from './hash-route.js';
import { shared } from './styles.js';

export class RbQuickSearch extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        gap: 0.3rem;
        align-items: center;
      }
      input {
        width: 16rem;
        max-width: 40vw;
      }
    `,
  ];

  /** The text searched for last (shown in the box). */
  @property() value = '';

  override render() {
    return html`<form role="search" @submit=${this.onSubmit}>
      <label for="q" class="sr-only">Search customers and numbers</label>
      <input id="q" name="q" type="search" .value=${this.value} placeholder="Account, name or number" autocomplete="off" />
      <button type="submit">Search</button>
    </form>`;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '').trim();
    if (q) location.hash = hashOf('/search', { q });
  }
}

define('rb-quick-search', RbQuickSearch);

declare global {
  interface HTMLElementTagNameMap {
    'rb-quick-search': RbQuickSearch;
  }
}
