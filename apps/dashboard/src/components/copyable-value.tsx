import { useId, useState } from 'react';
import { CopyButton } from './copy-button.js';
import { QrCode } from './qr-code.js';

/**
 * A labelled value to paste elsewhere (a URL, a secret, a header), with its own copy button.
 * With `qr`, the value can also be shown as a QR code: the fastest way to get a long URL or
 * secret from the dashboard onto the phone that needs it.
 */
export function CopyableValue(props: {
  label: string;
  value: string;
  secret?: boolean | undefined;
  qr?: boolean;
  testId?: string | undefined;
}) {
  const labelId = useId();
  const [showQr, setShowQr] = useState(false);
  return (
    <div className="copyable">
      <dt id={labelId}>
        {props.label}
        {props.secret && <span className="badge secret-badge">secret, shown once</span>}
      </dt>
      <dd>
        <div className="secret-row">
          <code className="secret" data-testid={props.testId}>
            {props.value}
          </code>
          <CopyButton text={props.value} describedBy={labelId} />
          {props.qr && (
            <button
              type="button"
              className="button secondary small"
              aria-expanded={showQr}
              aria-describedby={labelId}
              onClick={() => setShowQr((shown) => !shown)}
            >
              {showQr ? 'Hide QR' : 'QR'}
            </button>
          )}
        </div>
        {showQr && <QrCode text={props.value} label={`${props.label}, to scan with the phone's camera`} />}
      </dd>
    </div>
  );
}
