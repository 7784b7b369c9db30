import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NoToken } from './NoToken';

/** Renders the app, or how to get the session link when there is no token. */
export function mount(root: HTMLElement, signedIn: boolean): void {
  createRoot(root).render(<StrictMode>{signedIn ? <App /> : <NoToken />}</StrictMode>);
}
