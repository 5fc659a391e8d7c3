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
