import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Benchmark build only (`vite build --mode bench`): the harness in scripts/bench loads
// its hooks when it needs them. A normal build drops this branch and the module.
if (import.meta.env.MODE === 'bench') Object.assign(window, { __printpathLoadBench: () => import('./bench/bench-hooks') });
