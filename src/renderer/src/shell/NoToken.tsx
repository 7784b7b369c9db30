import type { ReactNode } from 'react';

/** Browser mode opened without the session token: say how to get in. */
export function NoToken(): ReactNode {
  return (
    <div className="notoken">
      <h1>Crude Functions Desktop</h1>
      <p>This page needs the session link.</p>
      <p>
        Open the <code>adminUrl</code> printed by <code>npm run serve</code> — it ends with <code>#token=…</code>. The token stays in
        this tab only; open the link again after closing the tab or restarting the server.
      </p>
    </div>
  );
}
