// The browser bundle's entry: every element registers itself on import; rb-app in index.html
// starts the workbench.

import './rb-app.js';
