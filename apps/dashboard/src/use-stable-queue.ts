import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';

export interface StableQueue {
  /** The cards to show, in a stable order: new requests are added at the end. */
  cards: DecisionSubject[];
  /**
   * Records a request as it now stands: a decision made on this page (`here`), or a live
   * event about a decision made elsewhere.
   */
  update(subject: DecisionSubject, here: boolean): void;
  /** Keeps a card in place once it leaves the queue: the owner is deciding on it here. */
  pin(id: string): void;
  /** Hides a card that no longer waits. */
  dismiss(id: string): void;
  /** Spread on the list: the pointer's presence decides when decided cards may go. */
  listProps: {
    onPointerEnter: (event: PointerEvent) => void;
    onPointerLeave: (event: PointerEvent) => void;
  };
}

/**
 * The pending queue as a list that never moves under the pointer (issue 15): a request that
 * arrives is added at the end, below every card already shown; a request that stops
 * waiting (decided here or elsewhere, expired) keeps its place, showing its outcome, while
 * a mouse is over the list, and always when it was decided on this page (a touch has no
 * hover, and the next tap must not land on the card that slid up), until dismissed or the
 * mouse leaves the list.
 *
 * @example
 * const { cards, update, dismiss, listProps } = useStableQueue(pending);
 */
export function useStableQueue(pending: DecisionSubject[] | undefined): StableQueue {
  const [cards, setCards] = useState<DecisionSubject[]>([]);
  const pointerInside = useRef(false);
  const decidedHere = useRef(new Set<string>());
  const latest = useRef(new Map<string, DecisionSubject>());

  const keep = useCallback((id: string) => pointerInside.current || decidedHere.current.has(id), []);

  useEffect(() => {
    if (!pending) return;
    setCards((shown) => {
      const waiting = new Map(pending.map((subject) => [subject.id, subject]));
      const next: DecisionSubject[] = [];
      for (const card of shown) {
        const current = waiting.get(card.id);
        if (current) {
          next.push(current);
          waiting.delete(card.id);
        } else if (keep(card.id)) {
          next.push(latest.current.get(card.id) ?? card);
        }
      }
      // Arrivals go last, in the queue's order (oldest first), so nothing above them moves.
      return [...next, ...waiting.values()];
    });
  }, [pending, keep]);

  const update = useCallback((subject: DecisionSubject, here: boolean) => {
    latest.current.set(subject.id, subject);
    if (here) decidedHere.current.add(subject.id);
    setCards((shown) => shown.map((card) => (card.id === subject.id ? subject : card)));
  }, []);

  // Pinned when the decision is taken, not when its answer comes: the live queue may drop
  // the request before the relay's answer to this page arrives.
  const pin = useCallback((id: string) => {
    decidedHere.current.add(id);
  }, []);

  const dismiss = useCallback((id: string) => {
    decidedHere.current.delete(id);
    setCards((shown) => shown.filter((card) => card.id !== id || card.pending));
  }, []);

  const listProps = {
    onPointerEnter: (event: PointerEvent) => {
      if (event.pointerType !== 'touch') pointerInside.current = true;
    },
    onPointerLeave: (event: PointerEvent) => {
      // A finger "leaves" right after every tap: only a mouse or pen leaving frees the list.
      if (event.pointerType === 'touch') return;
      pointerInside.current = false;
      decidedHere.current.clear();
      setCards((shown) => shown.filter((card) => card.pending));
    },
  };

  return { cards, update, pin, dismiss, listProps };
}
