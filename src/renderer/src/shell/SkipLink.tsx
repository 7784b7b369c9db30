import type { ReactNode } from 'react';

/** The first Tab stop: past the navigation to the screen. A button, since "#main" would be read as a route. */
export function SkipLink(): ReactNode {
  return (
    <button
      type="button"
      className="skip-link"
      onClick={() => {
        const main = document.getElementById('main');
        (main?.querySelector<HTMLElement>('h1') ?? main)?.focus();
      }}
    >
      Skip to content
    </button>
  );
}
