// CDR files dropped or picked become a run (SPEC §7 POST /api/runs): a progress bar for the upload
// (XMLHttpRequest's upload progress), then one for the rating (the run's event stream). Says
// `run-started` ({id}) and, through rb-run-watch, `run-finished`.

import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { RunEvent, VersionSummary } from './api-types.js';
import { define } from './define.js';
import { formatBytes } from './format.js';
import { shared } from './styles.js';
import type { UploadProgress } from './upload-request.js';
import './rb-error.js';
import './rb-file-drop.js';
import './rb-progress.js';
import './rb-run-watch.js';

export class RbRunUpload extends LitElement {
  static override styles = [
    shared,
    css`
      .options {
        margin: 0 0 0.6rem;
      }
      .bars {
        display: grid;
        gap: 0.6rem;
        margin-top: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** Versions a run may use (those without errors); the published one is the default. */
  @property({ attribute: false }) versions: VersionSummary[] = [];
  @property({ type: Number }) published: number | null = null;

  @state() private files: File[] = [];
  @state() private upload: UploadProgress | null = null;
  @state() private uploaded = false;
  @state() private uploading = false;
  @state() private runId = 0;
  @state() private finished: RunEvent | null = null;
  @state() private failure: ApiFailure | null = null;
  private version: number | null = null;

  override render() {
    const busy = this.uploading;
    const usable = this.versions.filter((v) => v.errors === 0);
    const up = this.upload;
    return html`${usable.length > 0
        ? html`<div class="options row">
            <label for="version">Rate with</label>
            <select id="version" @change=${(e: Event) => (this.version = Number((e.target as HTMLSelectElement).value) || null)}>
              ${usable.map((v) => html`<option value=${v.seq} ?selected=${v.seq === this.published}>version ${v.seq}${v.seq === this.published ? ' (published)' : ''}</option>`)}
            </select>
          </div>`
        : nothing}
      <rb-file-drop prompt="Drop CDR files here (.csv, .txt, or .gz)" label="Choose CDR files…" multiple ?disabled=${busy} @files-chosen=${this.onFiles}></rb-file-drop>
      <rb-error .failure=${this.failure}></rb-error>
      ${up
        ? html`<div class="bars">
            <rb-progress
              label="Upload of ${this.files.length === 1 ? this.files[0].name : `${this.files.length} files`}"
              .value=${up.loaded}
              .max=${up.total || 1}
              detail="${formatBytes(up.loaded)} of ${formatBytes(up.total)}"
              state=${this.uploaded ? 'done' : this.failure ? 'failed' : ''}
            ></rb-progress>
            ${this.runId ? html`<rb-run-watch .api=${this.api} run-id=${this.runId} @run-finished=${this.onFinished}></rb-run-watch>` : nothing}
            ${this.finished?.kind === 'done' ? html`<p role="status">Run ${this.runId} is rated. <a href="#/runs/${this.runId}">Open run ${this.runId}</a></p>` : nothing}
          </div>`
        : nothing}`;
  }

  private async onFiles(e: CustomEvent<{ files: File[] }>): Promise<void> {
    this.files = e.detail.files;
    const total = this.files.reduce((n, f) => n + f.size, 0);
    this.upload = { loaded: 0, total };
    this.uploaded = false;
    this.runId = 0;
    this.finished = null;
    this.failure = null;
    const version = this.version !== null && this.version !== this.published ? this.version : undefined;
    this.uploading = true;
    try {
      const started = await this.api.uploadCdrs(this.files, { version, onProgress: (p) => (this.upload = p) });
      this.upload = { loaded: this.upload?.total || total, total: this.upload?.total || total };
      this.uploaded = true;
      this.runId = started.id;
      this.dispatchEvent(new CustomEvent('run-started', { detail: { id: started.id }, bubbles: true, composed: true }));
    } catch (err) {
      this.failure = asFailure(err);
    } finally {
      this.uploading = false;
    }
  }

  private onFinished(e: CustomEvent<{ event: RunEvent }>): void {
    this.finished = e.detail.event;
  }
}

define('rb-run-upload', RbRunUpload);

declare global {
  interface HTMLElementTagNameMap {
    'rb-run-upload': RbRunUpload;
  }
}
