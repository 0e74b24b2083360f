// The component tests' page script: every element registered (as in the app's bundle), and a way
// for a test to mount one with its properties and an API client.

import '../../web-components/main.js';
import { ApiClient } from '../../web-components/api-client.js';

export interface Harness {
  api(token?: string): ApiClient;
  mount(tag: string, props?: Record<string, unknown>): HTMLElement;
}

const harness: Harness = {
  api: (token = 'test-token') => new ApiClient(token, '/api'),
  mount(tag, props = {}) {
    document.querySelector('#stage')?.remove();
    const stage = document.createElement('div');
    stage.id = 'stage';
    const el = document.createElement(tag);
    Object.assign(el, props);
    stage.append(el);
    document.body.append(stage);
    return el;
  },
};

(window as unknown as { rb: Harness }).rb = harness;
