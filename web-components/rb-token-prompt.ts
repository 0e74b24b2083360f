// Asks for the access token when the address brought none and the session holds none (or the
// server refused the one it had). Says `token-entered` ({token}).

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { ApiErrorBody } from './api-types.js';
import { define } from './define.js';
import { shared } from './styles.js';
import './rb-error.js';

export class RbTokenPrompt extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        max-width: 30rem;
        margin: 3rem auto;
        display: flex;
        flex-direction: column;
        gap: 0.6rem;
      }
      input {
        width: 100%;
        font-family: ui-monospace, monospace;
      }
    `,
  ];

  /** Why a token is asked for again (the server refused the last one). */
  @property({ attribute: false }) failure: ApiErrorBody | null = null;
  @property({ type: Boolean }) busy = false;

  override render() {
    return html`<form class="card" @submit=${this.onSubmit}>
      <h1>Sign in to Ratebook</h1>
      <p class="muted">Paste the access token you were given. <code>ratebook serve</code> prints the admin's the first time it starts.</p>
      <label for="token">Access token</label>
      <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false" />
      <rb-error .failure=${this.failure}></rb-error>
      <div><button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? 'Checking…' : 'Sign in'}</button></div>
    </form>`;
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#token')?.focus();
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const token = String(new FormData(e.target as HTMLFormElement).get('token') ?? '').trim();
    if (token) this.dispatchEvent(new CustomEvent('token-entered', { detail: { token }, bubbles: true, composed: true }));
  }
}

define('rb-token-prompt', RbTokenPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'rb-token-prompt': RbTokenPrompt;
  }
}
