import { useEffect, useEffectEvent } from 'react';
import type { ContractEvents, EventName } from '../../../shared/contract';
import { crude } from '../api/client';

/** Subscribes to a main-process event for the component's lifetime. */
export function useEvent<E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void): void {
  const onEvent = useEffectEvent((p: ContractEvents[E]) => listener(p));
  useEffect(() => crude().on(event, (p) => onEvent(p)), [event]);
}
