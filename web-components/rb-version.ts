// #/workbooks/SEQ (SPEC §8): a version's facts, its problems grouped by tab, its diff against the
// published version (or one picked) with the changed cells marked, publish (the server's refusal
// shown beside the button) and the workbook's download.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { asFailure, type ApiFailure } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { Role, VersionDetail, VersionDiff, VersionList } from './api-types.js';
import { define } from './define.js';
import { formatWhen } from './format.js';
import { may } from './permissions.js';
import { shared } from './styles.js';
import './rb-download.js';
import './rb-error.js';
import './rb-problem-counts.js';
import './rb-version-diff.js';
import './rb-version-problems.js';

export class RbVersion extends LitElement {
  static override styles = [
    shared,
    css`
      header.top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 1rem;
        align-items: flex-start;
      }
      .facts {
        margin: 0.3rem 0 0;
      }
      .actions {
        display: flex;
        gap: 0.6rem;
        align-items: flex-start;
        flex-wrap: wrap;
      }
      .compare {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.6rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) callerRole: Role | undefined;
  @property({ type: Number }) seq = 0;
  /** The version to diff against; default: the published one (or, for the published one, the one before). */
  @property({ type: Number }) against: number | null = null;

  @state() private version: VersionDetail | null = null;
  @state() private list: VersionList | null = null;
  @state() private diff: VersionDiff | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private diffFailure: ApiFailure | null = null;
  @state() private publishFailure: ApiFailure | null = null;
  @state() private publishing = false;
  @state() private published = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('seq') || changed.has('against')) void this.load();
  }

  private async load(): Promise<void> {
    const seq = this.seq;
    this.failure = null;
    try {
      const [version, list] = await Promise.all([this.api.version(seq), this.api.versions()]);
      if (seq !== this.seq) return;
      this.version = version;
      this.list = list;
    } catch (e) {
      this.failure = asFailure(e);
      return;
    }
    await this.loadDiff();
  }

  /** The version compared with: the one asked for, else the published one, else the one before. */
  private base(): number | null {
    if (this.against) return this.against;
    const list = this.list;
    if (!list) return null;
    if (list.published !== null && list.published !== this.seq) return list.published;
    const older = list.versions.map((v) => v.seq).filter((s) => s < this.seq);
    return older.length ? Math.max(...older) : null;
  }

  private async loadDiff(): Promise<void> {
    const against = this.base();
    this.diff = null;
    this.diffFailure = null;
    if (against === null) return;
    try {
      this.diff = await this.api.diff(this.seq, against);
    } catch (e) {
      this.diffFailure = asFailure(e);
    }
  }

  override render() {
    if (this.failure) return html`<h1>Version ${this.seq}</h1><rb-error .failure=${this.failure}></rb-error><p><a href="#/workbooks">All versions</a></p>`;
    const v = this.version;
    if (!v || v.seq !== this.seq) return html`<h1>Version ${this.seq}</h1><p class="muted">Loading…</p>`;
    const isPublished = v.published ?? this.list?.published === v.seq;
    return html`<p><a href="#/workbooks">← All versions</a></p>
      <section class="card">
        <header class="top">
          <div>
            <h1>Version ${v.seq} ${isPublished ? html`<span class="badge ok">published</span>` : nothing}</h1>
            <p class="facts muted">${v.source} · imported by ${v.importedBy} · ${formatWhen(v.importedAt)}</p>
            <p class="facts"><rb-problem-counts .errors=${v.errors} .warnings=${v.warnings} .notices=${v.notices}></rb-problem-counts></p>
          </div>
          <div class="actions">
            ${may(this.callerRole, 'publish') && !isPublished
              ? html`<button type="button" class="primary" ?disabled=${this.publishing} @click=${this.publish}>${this.publishing ? 'Publishing…' : `Publish version ${v.seq}`}</button>`
              : nothing}
            <rb-download .api=${this.api} path="/versions/${v.seq}/workbook.xlsx" file="workbook.xlsx"></rb-download>
          </div>
        </header>
        <rb-error .failure=${this.publishFailure}></rb-error>
        ${this.published ? html`<p role="status">Version ${v.seq} is now published: rating and billing use it from now on.</p>` : nothing}
      </section>
      <section class="card" aria-labelledby="problems-title">
        <h2 id="problems-title">Problems</h2>
        <rb-version-problems .problems=${v.problems}></rb-version-problems>
      </section>
      <section class="card" aria-labelledby="diff-title">
        <h2 id="diff-title">Changes</h2>
        ${this.renderCompare()}
        <rb-error .failure=${this.diffFailure}></rb-error>
        <rb-version-diff .diff=${this.diff}></rb-version-diff>
      </section>`;
  }

  private renderCompare() {
    const base = this.base();
    const others = (this.list?.versions ?? []).filter((x) => x.seq !== this.seq);
    if (others.length === 0) return html`<p class="muted">There is no other version to compare with.</p>`;
    return html`<div class="compare">
      <label for="against">Compared with</label>
      <select id="against" @change=${this.onCompare}>
        ${others.map((x) => html`<option value=${x.seq} ?selected=${x.seq === base}>version ${x.seq}${x.seq === this.list?.published ? ' (published)' : ''}</option>`)}
      </select>
    </div>`;
  }

  private onCompare(e: Event): void {
    this.against = Number((e.target as HTMLSelectElement).value);
    // The address names the comparison, so a reload or a shared link shows the same.
    if (location.hash.startsWith(`#/workbooks/${this.seq}`)) history.replaceState(history.state, '', `#/workbooks/${this.seq}?against=${this.against}`);
  }

  private async publish(): Promise<void> {
    this.publishing = true;
    this.publishFailure = null;
    this.published = false;
    try {
      await this.api.publish(this.seq);
      this.published = true;
      // Keep comparing with the version that was published before.
      const previous = this.base();
      this.list = await this.api.versions();
      this.version = await this.api.version(this.seq);
      if (this.against === null && previous !== null) this.against = previous;
    } catch (e) {
      this.publishFailure = asFailure(e);
    } finally {
      this.publishing = false;
    }
  }
}

define('rb-version', RbVersion);

declare global {
  interface HTMLElementTagNameMap {
    'rb-version': RbVersion;
  }
}
