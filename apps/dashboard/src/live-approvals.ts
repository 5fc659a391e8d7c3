import type {
  DecisionSubjectResponse as DecisionSubject,
  DecisionSubjectList,
  HeldMessage,
  HeldMessageList,
} from '@agent-otp/shared';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { ApiError, SIGNED_OUT_EVENT } from './api.js';
import { operations } from './operations.js';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export interface LiveApprovals {
  /** The pending queue, oldest first; undefined until the first event. */
  pending: DecisionSubject[] | undefined;
  /** Requests that changed while the page was open and no longer wait (newest first). */
  settled: DecisionSubject[];
  /** Messages held for the owner to assign (requests of several agents tied); undefined until the first event. */
  held: HeldMessage[] | undefined;
  connection: Connection;
}

const RETRY_MS = 3000;
const KEEP_SETTLED = 20;

/**
 * The owner's approval queue, live from `/api/v1/approvals/events` (Server-Sent Events):
 * new requests appear and decided or expired ones leave without a reload. `onRequest`
 * hears every change to any request (the detail page follows one).
 *
 * @example
 * const { pending, connection } = useLiveApprovals();
 */
export function useLiveApprovals(onRequest?: (subject: DecisionSubject) => void): LiveApprovals {
  const [pending, setPending] = useState<DecisionSubject[] | undefined>();
  const [settled, setSettled] = useState<DecisionSubject[]>([]);
  const [held, setHeld] = useState<HeldMessage[] | undefined>();
  const [connection, setConnection] = useState<Connection>('connecting');
  const listener = useRef(onRequest);
  listener.current = onRequest;

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: number | undefined;
    let stopped = false;
    const connect = () => {
      source = new EventSource('/api/v1/approvals/events');
      source.addEventListener('open', () => setConnection('live'));
      source.addEventListener('pending', (event) => {
        setPending(
          // The stream's events carry the same schemas as GET /approvals and GET /held-messages.
          (JSON.parse((event as MessageEvent<string>).data) as z.output<typeof DecisionSubjectList>)
            .approvals,
        );
        setConnection('live');
      });
      source.addEventListener('held', (event) => {
        setHeld((JSON.parse((event as MessageEvent<string>).data) as HeldMessageList).heldMessages);
      });
      source.addEventListener('request', (event) => {
        const subject = JSON.parse((event as MessageEvent<string>).data) as DecisionSubject;
        listener.current?.(subject);
        if (!subject.pending)
          setSettled((list) => [subject, ...list.filter((s) => s.id !== subject.id)].slice(0, KEEP_SETTLED));
      });
      source.addEventListener('error', () => {
        setConnection('reconnecting');
        if (source?.readyState !== EventSource.CLOSED) return; // the browser retries by itself
        // Closed for good (an HTTP error such as 401): find out whether we are still signed in.
        void operations.getSession().then(
          () => {
            if (!stopped) retry = window.setTimeout(connect, RETRY_MS);
          },
          (error: unknown) => {
            if (error instanceof ApiError && error.status === 401)
              window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
            else if (!stopped) retry = window.setTimeout(connect, RETRY_MS);
          },
        );
      });
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, []);

  return { pending, settled, held, connection };
}
