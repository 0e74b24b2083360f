// A horizontal bar chart in plain SVG (SPEC §8: no charting licence needed): one bar a row, its
// label on the left and the value as the server sent it (formatted) on the right; negative values
// grow left of a zero line. The chart's text alternative is its aria-label, naming every bar.
// Bars are scaled by bar-scale.ts, for drawing only.

import { LitElement, css, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { barFractions } from './bar-scale.js';
import { define } from './define.js';
import { shared } from './styles.js';

export interface Bar {
  label: string;
  /** The value to draw: a count or a decimal string as the server sent it. */
  value: string;
  /** The value as shown beside the bar (formatted). */
  text: string;
}

/** Drawn at the width it has (measured), so its text keeps its size; this until measured. */
const START_WIDTH = 560;
const ROW_H = 24;
const BAR_H = 15;
const LABEL_CHARS = 26;

export class RbBarChart extends LitElement {
  static override styles = [
    shared,
    css`
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 0.9rem;
        font-weight: 600;
        margin-bottom: 0.3rem;
      }
      svg {
        width: 100%;
        display: block;
        overflow: visible;
      }
      text {
        font-size: 13px;
        fill: var(--rb-text);
      }
      .value {
        font-variant-numeric: tabular-nums;
      }
      .bar.up {
        fill: var(--rb-accent);
      }
      .bar.down {
        fill: var(--rb-error);
      }
      .axis {
        stroke: var(--rb-border-strong);
      }
      .note {
        font-size: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) bars: Bar[] = [];
  /** What the chart shows, e.g. `Exceptions by reason (calls)`: its caption and the start of its text alternative. */
  @property() label = '';
  /** At most this many bars (the first ones); a note says the rest are in the table. */
  @property({ type: Number }) max = 20;
  /** No visible caption (a heading beside the chart already says what it shows); the text alternative keeps the label. */
  @property({ type: Boolean, attribute: 'no-caption' }) noCaption = false;

  @state() private width = START_WIDTH;
  private readonly sizer = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (w > 0 && w !== this.width) this.width = w;
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.sizer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sizer.disconnect();
  }

  override render() {
    const shown = this.bars.slice(0, this.max);
    if (shown.length === 0) return html`<figure><figcaption>${this.label}</figcaption><p class="muted">Nothing to chart.</p></figure>`;
    const f = barFractions(shown.map((b) => b.value));
    const hasDown = f.some((x) => x < 0);
    const hasUp = f.some((x) => x > 0);
    const chartW = Math.max(this.width, 280);
    const labelW = Math.min(190, Math.round(chartW * 0.34));
    const valueW = Math.min(120, Math.round(chartW * 0.2));
    const area = chartW - labelW - valueW - 16;
    // The zero line: left when nothing is negative, right when nothing is positive, else the middle.
    const zero = labelW + (hasDown && hasUp ? area / 2 : hasDown ? area : 0);
    const scale = hasDown && hasUp ? area / 2 : area;
    const height = shown.length * ROW_H + 4;
    const alt = `${this.label}: ${shown.map((b) => `${b.label} ${b.text}`).join('; ')}`;
    return html`<figure>
      ${this.noCaption ? nothing : html`<figcaption aria-hidden="true">${this.label}</figcaption>`}
      <svg viewBox="0 0 ${chartW} ${height}" width=${chartW} height=${height} role="img" aria-label=${alt}>
        ${shown.map((b, i) => {
          const y = i * ROW_H + 2;
          const len = Math.abs(f[i]) * scale;
          const x = f[i] < 0 ? zero - len : zero;
          const name = b.label.length > LABEL_CHARS ? `${b.label.slice(0, LABEL_CHARS - 1)}…` : b.label;
          return svg`<g>
            <title>${b.label}: ${b.text}</title>
            <text x=${labelW - 8} y=${y + ROW_H / 2 + 4} text-anchor="end">${name}</text>
            <rect class="bar ${f[i] < 0 ? 'down' : 'up'}" x=${x} y=${y + (ROW_H - BAR_H) / 2} width=${Math.max(len, f[i] === 0 ? 0 : 1)} height=${BAR_H} rx="2"></rect>
            <text class="value" x=${chartW - 4} y=${y + ROW_H / 2 + 4} text-anchor="end">${b.text}</text>
          </g>`;
        })}
        <line class="axis" x1=${zero} x2=${zero} y1="0" y2=${height}></line>
      </svg>
      ${this.bars.length > shown.length ? html`<p class="note muted">The first ${shown.length} of ${this.bars.length}; the table has them all.</p>` : nothing}
    </figure>`;
  }
}

define('rb-bar-chart', RbBarChart);

declare global {
  interface HTMLElementTagNameMap {
    'rb-bar-chart': RbBarChart;
  }
}
