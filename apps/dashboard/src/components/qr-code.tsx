import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * `text` as a QR code image for a phone's camera. Drawn in the browser, so a configuration
 * that holds a secret never leaves the page; the text itself stays on screen beside it.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [image, setImage] = useState<{ url?: string; failed?: boolean }>({});
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then(
      (url) => current && setImage({ url }),
      () => current && setImage({ failed: true }),
    );
    return () => {
      current = false;
    };
  }, [text]);
  if (image.failed)
    return <p className="hint">This configuration is too long for a QR code; type the values below.</p>;
  return (
    <figure className="qr-code">
      {image.url ? (
        <img src={image.url} alt={label} width={240} height={240} data-testid="setup-qr" />
      ) : (
        // Holds the image's space for the moment it takes to draw, so the page does not jump.
        <div className="qr-drawing" aria-hidden="true" />
      )}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
