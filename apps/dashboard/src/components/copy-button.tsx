import { useState } from 'react';

/**
 * Copies `text` to the clipboard and says so; falls back to selecting it for Ctrl+C.
 * `describedBy` names what it copies where several sit side by side.
 */
export function CopyButton(props: { text: string; label?: string; describedBy?: string }) {
  const { text, label = 'Copy' } = props;
  const [done, setDone] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    window.setTimeout(() => setDone('idle'), 2500);
  };
  return (
    <button
      type="button"
      className="button secondary small"
      onClick={copy}
      aria-live="polite"
      aria-describedby={props.describedBy}
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Select and press Ctrl+C' : label}
    </button>
  );
}
