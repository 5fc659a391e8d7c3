import { useState } from 'react';

/** Previous / next page buttons for cursor-paginated lists. */
export function Pager(props: { page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void }) {
  if (props.page === 1 && !props.hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        className="button secondary"
        disabled={props.page === 1}
        onClick={props.onPrevious}
      >
        Previous page
      </button>
      <span aria-live="polite">Page {props.page}</span>
      <button type="button" className="button secondary" disabled={!props.hasNext} onClick={props.onNext}>
        Next page
      </button>
    </nav>
  );
}

/** One page of an in-memory list (agents, sources). */
export function pageOf<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

/**
 * The cursor stack behind a server-paginated list: the cursor of the page on screen, props
 * for {@link Pager} given the server's `nextCursor`, and a reset for when filters change.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return {
    cursor: cursors.at(-1),
    reset: () => setCursors([undefined]),
    pagerProps: (nextCursor: string | null | undefined) => ({
      page: cursors.length,
      hasNext: Boolean(nextCursor),
      onPrevious: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
      onNext: () => {
        if (nextCursor) setCursors((c) => [...c, nextCursor]);
      },
    }),
  };
}
