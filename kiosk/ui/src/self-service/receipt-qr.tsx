import QRCode from 'qrcode';

/** The QR code's options, shared with the tests that compare the screen's code with qrcode's own. */
export const receiptQrOptions = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

/**
 * The signed receipt's text as a QR code, drawn by `qrcode` as SVG. With a callback `qrcode` renders
 * at once (no promise), so the code is in the first render, on the server-side render of tests too.
 */
export function receiptQrSvg(text: string): string {
  let svg = '';
  QRCode.toString(text, receiptQrOptions, (error, rendered) => {
    if (error) throw error;
    svg = rendered;
  });
  return svg;
}

export function ReceiptQr({ text, label }: { text: string; label: string }) {
  const svg = receiptQrSvg(text);
  // The SVG is qrcode's own output from the receipt text (no markup of ours or the citizen's in it).
  return <div className="receipt-qr" role="img" aria-label={label} data-testid="receipt-qr" dangerouslySetInnerHTML={{ __html: svg }} />;
}
