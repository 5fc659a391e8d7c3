import { useState } from 'react';

/** Copies `text` to the clipboard and says so; falls back to selecting it for Ctrl+C. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
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
    <button type="button" className="button secondary small" onClick={copy} aria-live="polite">
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Select and press Ctrl+C' : label}
    </button>
  );
}
