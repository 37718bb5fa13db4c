// Mounts PhotoCapture alone for the end-to-end test; captures are kept as base64 for the test to read.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { PhotoCapture } from '../../../../../kiosk/ui/src/photo/photo-capture';

const captures = [];
const previews = [];
// ?auto: live preview frames (counted, not judged here) and automatic capture on a passing verdict.
// ?muted: no shutter click. ?reason: an import asks for its reason first.
const query = new URLSearchParams(location.search);
const auto = query.has('auto');
let verdict;
const root = createRoot(document.getElementById('root'));

async function onCapture(blob, source, reason) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  captures.push({ type: blob.type, source, base64: btoa(binary), reason });
}

function render() {
  const props = { onCapture, muted: query.has('muted'), importNeedsReason: query.has('reason') };
  if (verdict !== undefined) props.verdict = verdict;
  if (auto) Object.assign(props, { autoCapture: true, onPreviewFrame: (blob) => { previews.push(blob.type); } });
  root.render(createElement(PhotoCapture, props));
}

// Every shutter click the page plays (the component makes it with Web Audio).
const shutters = [];
const start = AudioBufferSourceNode.prototype.start;
AudioBufferSourceNode.prototype.start = function (...args) {
  shutters.push(performance.now());
  return start.apply(this, args);
};

window.photoHarness = {
  captures,
  shutters,
  previews,
  setVerdict(next) {
    verdict = next;
    render();
  },
};
render();
