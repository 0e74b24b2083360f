// A place to drop files, or to pick them with the keyboard or a click. Says which files it was
// given with a `files-chosen` event ({files}); filtering by type is the server's job (415).

import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define } from './define.js';
import { shared } from './styles.js';

export class RbFileDrop extends LitElement {
  static override styles = [
    shared,
    css`
      .zone {
        border: 2px dashed var(--rb-border-strong);
        border-radius: 10px;
        padding: 1.2rem;
        text-align: center;
        background: var(--rb-bg);
        transition: background 0.15s, border-color 0.15s;
      }
      .zone.over {
        border-color: var(--rb-accent);
        background: var(--rb-accent-bg);
      }
      .zone.disabled {
        opacity: 0.6;
      }
      .pick {
        display: inline-block;
        margin-top: 0.4rem;
        padding: 0.4rem 0.9rem;
        border-radius: 6px;
        border: 1px solid var(--rb-accent);
        color: var(--rb-accent);
        background: var(--rb-surface);
        cursor: pointer;
        font-weight: 500;
      }
      .pick:focus-within {
        outline: 2px solid var(--rb-focus);
        outline-offset: 2px;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  /** What the zone asks for: `Drop an .xlsx workbook here`. */
  @property() prompt = 'Drop files here';
  /** The picker's label: `Choose a workbook`. */
  @property() label = 'Choose files';
  /** The picker's accept list (`.xlsx`). */
  @property() accept = '';
  @property({ type: Boolean }) multiple = false;
  @property({ type: Boolean }) disabled = false;
  @state() private over = false;

  override render() {
    return html`<div
      class="zone ${this.over ? 'over' : ''} ${this.disabled ? 'disabled' : ''}"
      @dragenter=${this.onDrag}
      @dragover=${this.onDrag}
      @dragleave=${() => (this.over = false)}
      @drop=${this.onDrop}
    >
      <div>${this.prompt}</div>
      <label class="pick"
        >${this.label}<input type="file" accept=${this.accept} ?multiple=${this.multiple} ?disabled=${this.disabled} @change=${this.onPick}
      /></label>
    </div>`;
  }

  private onDrag(e: DragEvent): void {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = this.disabled ? 'none' : 'copy';
    this.over = !this.disabled;
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.over = false;
    if (this.disabled) return;
    const files = [...(e.dataTransfer?.files ?? [])];
    this.choose(this.multiple ? files : files.slice(0, 1));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.choose(files);
  }

  private choose(files: File[]): void {
    if (files.length === 0) return;
    this.dispatchEvent(new CustomEvent('files-chosen', { detail: { files }, bubbles: true, composed: true }));
  }
}

define('rb-file-drop', RbFileDrop);

declare global {
  interface HTMLElementTagNameMap {
    'rb-file-drop': RbFileDrop;
  }
}
