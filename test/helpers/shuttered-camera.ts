import type { Page } from 'playwright-core';

/**
 * Chromium's fake camera (the applicant's video, `launchChromium({ fakeVideo })`) behind a shutter
 * the test opens: until then the page gets a grey frame of the same size, so a screen that takes the
 * photo by itself stays put while it is audited, and a capture of it fails as an empty frame does.
 * Installed before the page loads (a page script, as text: the tests compile without the DOM lib);
 * the page sees an ordinary camera stream, redrawn from the real one through a canvas.
 */
const shutterScript = `(() => {
  const media = navigator.mediaDevices;
  if (!media || !media.getUserMedia) return;
  const realCamera = media.getUserMedia.bind(media);
  const shutter = { open: false };
  window.cameraShutter = shutter;
  media.getUserMedia = async (constraints) => {
    const real = await realCamera(constraints);
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = real;
    await video.play();
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    const context = canvas.getContext('2d');
    const draw = () => {
      if (shutter.open) {
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
      } else {
        context.fillStyle = '#808080';
        context.fillRect(0, 0, canvas.width, canvas.height);
      }
    };
    draw();
    // A timer, not animation frames: frames keep coming whatever the page's visibility.
    const timer = setInterval(draw, 50);
    const stream = canvas.captureStream(20);
    const track = stream.getVideoTracks()[0];
    const stop = track.stop.bind(track);
    track.stop = () => {
      clearInterval(timer);
      for (const realTrack of real.getTracks()) realTrack.stop();
      stop();
    };
    return stream;
  };
})();`;

export async function shutteredCamera(page: Page): Promise<void> {
  await page.addInitScript({ content: shutterScript });
}

/** The applicant in the frame. */
export async function openCamera(page: Page): Promise<void> {
  await page.evaluate('window.cameraShutter.open = true');
}

/** A grey frame again. */
export async function shutCamera(page: Page): Promise<void> {
  await page.evaluate('window.cameraShutter.open = false');
}
