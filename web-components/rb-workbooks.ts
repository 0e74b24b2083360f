// #/workbooks (SPEC §8): the versions (seq, source, who, when, problems, published), and for the
// roles that may import, an .xlsx dropped or picked (with its upload's progress) or a Google Sheet.

import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Imported, Role, VersionList, VersionSummary } from './api-types.js';
import { define } from './define.js';
import { formatBytes, formatWhen, plural } from './format.js';
import { may } from './permissions.js';
import { shared } from './styles.js';
import type { UploadProgress } from './upload-request.js';
import './rb-error.js';
import './rb-file-drop.js';
import './rb-problem-counts.js';
import './rb-progress.js';

/** A Google Sheet's id from its id or its address (`…/spreadsheets/d/ID/edit`). */
export const spreadsheetIdOf = (text: string): string => /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? text.trim();

export class RbWorkbooks extends LitElement {
  static override styles = [
    shared,
    css`
      .import {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: 1rem;
      }
      @media (max-width: 900px) {
        .import {
          grid-template-columns: 1fr;
        }
      }
      form.google {
        display: flex;
        flex-direction: column;
        gap: 0.4rem;
      }
      .result {
        margin-top: 0.6rem;
      }
      vaadin-grid:not([all-rows-visible]) {
        height: 24rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;

  @state() private list: VersionList | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private upload: { name: string; progress: UploadProgress } | null = null;
  @state() private uploadFailure: ApiFailure | null = null;
  @state() private imported: Imported | null = null;
  @state() private googleBusy = false;
  @state() private googleFailure: ApiFailure | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.list = await this.api.versions();
      this.failure = null;
    } catch (e) {
      this.failure = asFailure(e);
    }
  }

  override render() {
    return html`<h1>Workbooks</h1>
      ${may(this.callerRole, 'import-workbook') ? this.renderImport() : nothing}
      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <rb-error .failure=${this.failure}></rb-error>
        ${this.list ? this.renderList(this.list) : html`<p class="muted">Loading…</p>`}
      </section>`;
  }

  private renderImport() {
    const up = this.upload;
    return html`<section class="card" aria-labelledby="import-title">
      <h2 id="import-title">Import a workbook</h2>
      <div class="import">
        <div>
          <rb-file-drop prompt="Drop an .xlsx workbook here" label="Choose a workbook…" accept=".xlsx" ?disabled=${up !== null} @files-chosen=${this.onFiles}></rb-file-drop>
          ${up
            ? html`<rb-progress label="Uploading ${up.name}" .value=${up.progress.loaded} .max=${up.progress.total || 1} detail="${formatBytes(up.progress.loaded)} of ${formatBytes(up.progress.total)}"></rb-progress>`
            : nothing}
          <rb-error .failure=${this.uploadFailure}></rb-error>
          ${this.imported ? this.renderImported(this.imported) : nothing}
        </div>
        <form class="google" @submit=${this.onGoogle}>
          <label for="sheet">Google Sheet (its id or address)</label>
          <input id="sheet" name="sheet" required autocomplete="off" placeholder="1AbC…xyz" />
          <div><button type="submit" ?disabled=${this.googleBusy}>${this.googleBusy ? 'Importing…' : 'Import the sheet'}</button></div>
          <rb-error .failure=${this.googleFailure}></rb-error>
        </form>
      </div>
    </section>`;
  }

  private renderImported(r: Imported) {
    const problems = r.errors + r.warnings + r.notices === 0 ? 'no problems' : [plural(r.errors, 'error'), plural(r.warnings, 'warning'), plural(r.notices, 'notice')].join(', ');
    return html`<p class="result" role="status">
      ${r.existing ? html`The same content is already version ${r.seq}.` : html`Imported as version ${r.seq} (${problems}).`}
      <a href="#/workbooks/${r.seq}">Review version ${r.seq}</a>
    </p>`;
  }

  private renderList(list: VersionList) {
    const isPublished = (v: VersionSummary): boolean => v.published ?? v.seq === list.published;
    return html`<p class="muted">${list.published === null ? 'No version is published yet.' : html`Version ${list.published} is published: rating and billing use it.`}</p>
      <vaadin-grid .items=${list.versions} accessible-name="Workbook versions" ?all-rows-visible=${list.versions.length <= 12}>
        <vaadin-grid-column header="Version" width="6rem" flex-grow="0" ${columnBodyRenderer<VersionSummary>((v) => html`<a href="#/workbooks/${v.seq}">Version ${v.seq}</a>`, [])}></vaadin-grid-column>
        <vaadin-grid-column header="Published" width="7rem" flex-grow="0" ${columnBodyRenderer<VersionSummary>((v) => (isPublished(v) ? html`<span class="badge ok">published</span>` : ''), [list.published])}></vaadin-grid-column>
        <vaadin-grid-column header="Source" path="source" flex-grow="2"></vaadin-grid-column>
        <vaadin-grid-column header="Imported by" path="importedBy"></vaadin-grid-column>
        <vaadin-grid-column header="When" ${columnBodyRenderer<VersionSummary>((v) => formatWhen(v.importedAt), [])}></vaadin-grid-column>
        <vaadin-grid-column
          header="Problems"
          flex-grow="2"
          ${columnBodyRenderer<VersionSummary>((v) => html`<rb-problem-counts .errors=${v.errors} .warnings=${v.warnings} .notices=${v.notices}></rb-problem-counts>`, [])}
        ></vaadin-grid-column>
      </vaadin-grid>`;
  }

  private async onFiles(e: CustomEvent<{ files: File[] }>): Promise<void> {
    const file = e.detail.files[0];
    if (!file) return;
    this.uploadFailure = null;
    this.imported = null;
    this.upload = { name: file.name, progress: { loaded: 0, total: file.size } };
    try {
      const r = await this.api.uploadWorkbook(file, (progress) => (this.upload = { name: file.name, progress }));
      this.imported = r.body;
      await this.load();
    } catch (err) {
      this.uploadFailure = asFailure(err);
    } finally {
      this.upload = null;
    }
  }

  private async onGoogle(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const id = spreadsheetIdOf(String(new FormData(form).get('sheet') ?? ''));
    if (!id) return;
    this.googleBusy = true;
    this.googleFailure = null;
    this.imported = null;
    try {
      this.imported = await this.api.importGoogleSheet(id);
      form.reset();
      await this.load();
    } catch (err) {
      this.googleFailure = asFailure(err);
    } finally {
      this.googleBusy = false;
    }
  }
}

define('rb-workbooks', RbWorkbooks);

declare global {
  interface HTMLElementTagNameMap {
    'rb-workbooks': RbWorkbooks;
  }
}
