// Mounts PhotoCapture alone for the end-to-end test; captures are kept as base64 for the test to read.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { PhotoCapture } from '../../../../../kiosk/ui/src/photo/photo-capture';

const captures = [];
const previews = [];
// ?auto: live preview frames (counted, not judged here) and automatic capture on a passing verdict.
const auto = new URLSearchParams(location.search).has('auto');
let verdict;
const root = createRoot(document.getElementById('root'));

async function onCapture(blob, source) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  captures.push({ type: blob.type, source, base64: btoa(binary) });
}

function render() {
  const props = { onCapture };
  if (verdict !== undefined) props.verdict = verdict;
  if (auto) Object.assign(props, { autoCapture: true, onPreviewFrame: (blob) => { previews.push(blob.type); } });
  root.render(createElement(PhotoCapture, props));
}

window.photoHarness = {
  captures,
  previews,
  setVerdict(next) {
    verdict = next;
    render();
  },
};
render();
