// The look shared by every element: plain, calm, readable on a laptop. Colours and spacing are
// custom properties set once on the page (index.html) so elements agree.

import { css } from 'lit';

export const shared = css`
  :host {
    display: block;
    color: var(--rb-text);
    font: inherit;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.6rem;
    line-height: 1.25;
    font-weight: 600;
  }
  h1 {
    font-size: 1.4rem;
  }
  h2 {
    font-size: 1.1rem;
  }
  h3 {
    font-size: 1rem;
  }
  p {
    margin: 0 0 0.6rem;
  }
  a {
    color: var(--rb-link);
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--rb-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--rb-border-strong);
    background: var(--rb-surface);
    color: var(--rb-text);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--rb-hover);
  }
  button.primary {
    background: var(--rb-accent);
    border-color: var(--rb-accent);
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: var(--rb-accent-dark);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  input,
  select {
    font: inherit;
    padding: 0.35rem 0.5rem;
    border-radius: 6px;
    border: 1px solid var(--rb-border-strong);
    background: var(--rb-surface);
    color: var(--rb-text);
  }
  label {
    font-size: 0.9rem;
  }
  .card {
    background: var(--rb-surface);
    border: 1px solid var(--rb-border);
    border-radius: 10px;
    padding: 1rem 1.2rem;
    margin-bottom: 1rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem 1rem;
    align-items: center;
  }
  .muted {
    color: var(--rb-muted);
  }
  .num {
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  .badge {
    display: inline-block;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    font-size: 0.8rem;
    line-height: 1.4;
    border: 1px solid transparent;
    white-space: nowrap;
  }
  .badge.error {
    background: var(--rb-error-bg);
    color: var(--rb-error);
    border-color: var(--rb-error-border);
  }
  .badge.warning {
    background: var(--rb-warning-bg);
    color: var(--rb-warning);
  }
  .badge.notice {
    background: var(--rb-notice-bg);
    color: var(--rb-notice);
  }
  .badge.ok {
    background: var(--rb-ok-bg);
    color: var(--rb-ok);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  progress {
    width: 100%;
    height: 0.8rem;
    accent-color: var(--rb-accent);
  }
  vaadin-grid {
    border: 1px solid var(--rb-border);
    border-radius: 8px;
    font-size: 0.9rem;
  }
  dl.figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
    gap: 0.8rem;
    margin: 0;
  }
  dl.figures div {
    background: var(--rb-bg);
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
  }
  dl.figures dt {
    font-size: 0.8rem;
    color: var(--rb-muted);
  }
  dl.figures dd {
    margin: 0.15rem 0 0;
    font-size: 1.25rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
`;
