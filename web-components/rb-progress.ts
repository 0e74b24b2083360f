// A labelled progress bar with its figures in words: `Upload: 4.2 MB of 10 MB (42%)`.

import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { shared } from './styles.js';

export class RbProgress extends LitElement {
  static override styles = [
    shared,
    css`
      .line {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        font-size: 0.85rem;
        margin-bottom: 0.2rem;
      }
    `,
  ];

  /** `Upload`, `Rating`. */
  @property() label = '';
  @property({ type: Number }) value = 0;
  @property({ type: Number }) max = 1;
  /** The figures in words, beside the label. */
  @property() detail = '';
  /** `done`, `failed`: said after the figures. */
  @property() state = '';

  override render() {
    const max = this.max > 0 ? this.max : 1;
    const value = Math.min(Math.max(this.value, 0), max);
    const pct = Math.floor((value / max) * 100);
    return html`<div class="line">
        <span id="label">${this.label}</span>
        <span class="muted">${this.detail} (${pct}%)${this.state ? ` — ${this.state}` : ''}</span>
      </div>
      <progress aria-labelledby="label" max=${max} .value=${value} data-state=${this.state}></progress>`;
  }
}

define('rb-progress', RbProgress);

declare global {
  interface HTMLElementTagNameMap {
    'rb-progress': RbProgress;
  }
}
