// A download button: it asks for a single-use link to the file (a plain link cannot send the token)
// and follows it, so the browser streams the file to disk with its own download UI. A refused
// link (the file is not there, the role may not read it) says why beside the button.

import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import { define } from './define.js';
import { shared } from './styles.js';
import './rb-error.js';

export class RbDownload extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-block;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** The API path, e.g. `/runs/3/files/rated.csv`. */
  @property() path = '';
  /** The file's name, shown on the button and used when the server gives none. */
  @property() file = '';
  @state() private busy = false;
  @state() private failure: ApiFailure | null = null;

  override render() {
    return html`<button type="button" ?disabled=${this.busy} @click=${this.save} aria-label="Download ${this.file}">
        ${this.busy ? 'Downloading…' : `⬇ ${this.file}`}</button
      ><rb-error .failure=${this.failure}></rb-error>`;
  }

  private async save(): Promise<void> {
    this.busy = true;
    this.failure = null;
    try {
      await this.api.download(this.path, this.file);
    } catch (e) {
      this.failure = asFailure(e);
    } finally {
      this.busy = false;
    }
  }
}

define('rb-download', RbDownload);

declare global {
  interface HTMLElementTagNameMap {
    'rb-download': RbDownload;
  }
}
