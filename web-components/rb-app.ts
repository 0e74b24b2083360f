// The workbench in a browser (SPEC §8): the token (from `#token=`, the session, or the sign-in
// form), who the caller is (GET /api/me), the header with the screens, the QuickSearch box and the
// role, and the screen the address names (routes.ts). Screens get the API client and the role.

import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiFailure, asFailure } from './api-failure.js';
import { ApiClient } from './api-client.js';
import type { Me } from './api-types.js';
import { define } from './define.js';
import { parseHash, type HashLocation } from './hash-route.js';
import { NAV, findScreen, homeOf } from './routes.js';
import { forgetToken, keepToken, takeToken } from './session.js';
import { shared } from './styles.js';
import './rb-error.js';
import './rb-quick-search.js';
import './rb-token-prompt.js';

export class RbApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        display: flex;
        flex-direction: column;
      }
      header {
        background: var(--rb-header);
        color: #fff;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.5rem;
        padding: 0.5rem 1.5rem;
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        letter-spacing: 0.02em;
        color: #fff;
        text-decoration: none;
      }
      nav ul {
        display: flex;
        gap: 0.2rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        color: #dbe4f3;
        text-decoration: none;
        padding: 0.4rem 0.75rem;
        border-radius: 6px;
        display: inline-block;
      }
      nav a:hover {
        background: rgba(255, 255, 255, 0.1);
      }
      nav a[aria-current='page'] {
        background: rgba(255, 255, 255, 0.18);
        color: #fff;
        font-weight: 600;
      }
      header a:focus-visible,
      header button:focus-visible {
        outline-color: #fff;
      }
      .spacer {
        flex: 1;
      }
      .who {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        font-size: 0.9rem;
      }
      .who .role {
        background: rgba(255, 255, 255, 0.18);
        border-radius: 999px;
        padding: 0.05rem 0.6rem;
      }
      .who button {
        background: transparent;
        color: #fff;
        border-color: rgba(255, 255, 255, 0.5);
        padding: 0.25rem 0.6rem;
      }
      .who button:hover {
        background: rgba(255, 255, 255, 0.1);
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 1400px;
        margin: 0 auto;
        padding: 1.2rem 1.5rem 3rem;
      }
      main[tabindex]:focus,
      main[tabindex]:focus-visible {
        outline: none;
      }
    `,
  ];

  @state() private token: string | null = null;
  @state() private me: Me | null = null;
  @state() private failure: ApiFailure | null = null;
  @state() private checking = false;
  @state() private where: HashLocation = parseHash(location.hash);
  private api: ApiClient | null = null;

  private readonly onHashChange = (): void => {
    this.where = parseHash(location.hash);
    // Keyboard and screen reader users start at the new screen, not at the old link.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: false }));
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    const token = takeToken();
    this.where = parseHash(location.hash);
    if (token) void this.signIn(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
  }

  private async signIn(token: string): Promise<void> {
    this.token = token;
    this.checking = true;
    this.failure = null;
    const api = new ApiClient(token);
    try {
      const me = await api.me();
      keepToken(token);
      this.api = api;
      this.me = me;
    } catch (e) {
      const f = asFailure(e);
      if (f.status === 401) {
        forgetToken();
        this.token = null;
      }
      this.failure = f.status === 401 ? new ApiFailure({ status: 401, error: 'The server did not accept this token: ask an admin for a valid one.' }) : f;
    } finally {
      this.checking = false;
    }
  }

  private signOut(): void {
    forgetToken();
    this.token = null;
    this.me = null;
    this.api = null;
    this.failure = null;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (this.me && this.where.path === '/') {
      // No screen named: the role's first screen, without a history entry of its own.
      history.replaceState(history.state, '', homeOf(this.me.role));
      this.where = parseHash(location.hash);
    }
  }

  override render() {
    const me = this.me;
    return html`<header>
        <a class="brand" href="#/">Ratebook</a>
        ${me ? this.renderNav() : nothing}
        <span class="spacer"></span>
        ${me
          ? html`<rb-quick-search .value=${this.where.path === '/search' ? (this.where.query.get('q') ?? '') : ''}></rb-quick-search>
              <div class="who">
                <span>${me.name}</span><span class="role" title="What this token may do">${me.role}</span>
                <button type="button" @click=${this.signOut}>Sign out</button>
              </div>`
          : nothing}
      </header>
      <main tabindex="-1">${this.renderMain()}</main>`;
  }

  private renderNav() {
    const tab = findScreen(this.where.path)?.screen.tab;
    return html`<nav aria-label="Screens">
      <ul>
        ${NAV.map((n) => html`<li><a href=${n.href} aria-current=${n.label === tab ? 'page' : 'false'}>${n.label}</a></li>`)}
      </ul>
    </nav>`;
  }

  private renderMain() {
    if (!this.me || !this.api) {
      if (this.token && this.checking) return html`<p class="muted">Signing in…</p>`;
      if (this.token && this.failure) return html`<rb-error .failure=${this.failure}></rb-error><button type="button" @click=${() => this.signIn(this.token!)}>Try again</button>`;
      return html`<rb-token-prompt .failure=${this.failure} ?busy=${this.checking} @token-entered=${(e: CustomEvent<{ token: string }>) => this.signIn(e.detail.token)}></rb-token-prompt>`;
    }
    const found = findScreen(this.where.path);
    if (!found) {
      document.title = 'No such page · Ratebook';
      return html`<h1>No such page</h1>
        <p>There is no screen at <code>#${this.where.path}</code>. <a href=${homeOf(this.me.role)}>Go to the start</a>.</p>`;
    }
    const ctx = { api: this.api, me: this.me, params: found.params, query: this.where.query };
    document.title = `${found.screen.title(ctx)} · Ratebook`;
    return found.screen.render(ctx);
  }
}

define('rb-app', RbApp);

declare global {
  interface HTMLElementTagNameMap {
    'rb-app': RbApp;
  }
}
