// Mounts PhotoCapture alone for the end-to-end test; captures are kept as base64 for the test to read.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { PhotoCapture } from '../../../../../kiosk/ui/src/photo/photo-capture';

const captures = [];
let verdict;
const root = createRoot(document.getElementById('root'));

async function onCapture(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  captures.push({ type: blob.type, base64: btoa(binary) });
}

function render() {
  root.render(createElement(PhotoCapture, verdict === undefined ? { onCapture } : { onCapture, verdict }));
}

window.photoHarness = {
  captures,
  setVerdict(next) {
    verdict = next;
    render();
  },
};
render();
