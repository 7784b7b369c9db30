import type { ReactNode } from 'react';

/**
 * Marks a record whose row fails its integrity check: it was changed outside the app (the
 * database edited), so the app refuses it where it is used until it is saved again here.
 */
export function TamperedMark({ record, tampered }: { record: string; tampered?: true }): ReactNode {
  if (!tampered) return null;
  return (
    <span
      className="pill bad tampered"
      role="status"
      title={`${record} was changed outside the app (its row fails its integrity check). It is refused until you save it again here — check it first.`}
    >
      changed outside the app
    </span>
  );
}
