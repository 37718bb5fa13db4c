import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Bilingual, PhotoCheckView, PhotoSource } from '../../../../shared/contract/kiosk-api';
import { textIn } from '../../../../shared/i18n/localized-text';
import { textOf } from '../../../../shared/i18n/message-catalogue';
import type { Locale } from '../../../../shared/i18n/messages';
import { LocaleContext } from '../i18n';
import { photoTexts } from './photo-texts';

/**
 * Live camera preview with an ID-photo framing guide, and a capture button. The controller's gate
 * judges every capture; this component only shows its advice. With no camera (missing, denied,
 * unsupported) it says so and offers a photo-file import instead: never a blank screen.
 */

/** The part of the controller's verdict the preview shows (`snapshot.photo` fits). */
export interface PhotoVerdictView {
  readonly passed: boolean | null;
  readonly checks: readonly PhotoCheckView[];
}

export type { PhotoSource };

export interface PhotoCaptureProps {
  /**
   * A JPEG of the full camera frame (not mirrored), or an imported file re-encoded as JPEG; `source`
   * tells the controller which (an import is framed loosely: the gate grades its ID-photo crop).
   */
  onCapture(jpeg: Blob, source: PhotoSource): void | Promise<void>;
  /** The controller's last verdict: its first failing check's message is shown over the preview. */
  verdict?: PhotoVerdictView;
  disabled?: boolean;
  /** Defaults to the UI's current locale; its language is shown first (Chinese beneath), English where a text lacks it. */
  locale?: Locale;
  /** Live or not, e.g. to switch the I/O board's fill light. */
  onCameraChange?(live: boolean): void;
  /**
   * Live advice: while the camera is live, a small JPEG frame a few times a second (one in flight at
   * a time) for the controller's gate; the parent passes the resulting verdict back as `verdict`.
   */
  onPreviewFrame?(jpeg: Blob): void | Promise<void>;
  /** Capture by itself once `verdict.passed` has held for a steady moment (after each failing verdict, again). */
  autoCapture?: boolean;
}

type CameraState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'unavailable'; readonly reason: 'denied' | 'missing' | 'unsupported' };

/** The ID-photo framing of the controller's gate: head 71–80 % of the height, crown 10 % below the top. */
const guide = { crownMargin: 0.1, headHeight: 0.755, headAspect: 0.74, photoAspect: 35 / 45 };
const jpegQuality = 0.92;
/** Live preview frames: small and frequent enough for ≥ 4 verdicts a second. */
const preview = { intervalMs: 250, maxWidth: 640, quality: 0.8 };
/** How long every check must keep passing before an automatic capture. */
const autoCaptureSteadyMs = 1000;
const cameraConstraints: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 960 } },
};

function reasonOf(error: unknown): 'denied' | 'missing' {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'missing';
}

function Text({ text, locale, large = false }: { text: Bilingual; locale: Locale; large?: boolean }) {
  const shown = textIn(locale, text);
  return (
    <span style={{ display: 'block', fontSize: large ? '1.6em' : undefined }}>
      {shown.main}
      <small style={{ display: 'block', opacity: 0.75, fontSize: '0.7em' }}>{shown.beneath}</small>
    </span>
  );
}

/** Draws an image source into a JPEG blob at its natural size. */
function toJpeg(source: CanvasImageSource, width: number, height: number, quality = jpegQuality): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) return Promise.reject(new Error('no 2d canvas'));
  context.drawImage(source, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob === null ? reject(new Error('encoding failed')) : resolve(blob)), 'image/jpeg', quality));
}

function FramingGuide({ width, height }: { width: number; height: number }) {
  const boxWidth = height * guide.photoAspect;
  const cx = width / 2;
  const ry = (guide.headHeight * height) / 2;
  const cy = guide.crownMargin * height + ry;
  const rx = ry * guide.headAspect;
  const shoulderY = cy + ry + 0.06 * height;
  const x0 = cx - boxWidth / 2;
  const x1 = cx + boxWidth / 2;
  const stroke = Math.max(2, height / 160);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
      style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
      aria-hidden="true"
    >
      {/* Shade what the ID photo will not keep. */}
      <path d={`M0 0H${width}V${height}H0Z M${x0} 0V${height}H${x1}V0Z`} fillRule="evenodd" fill="rgba(0,0,0,0.45)" />
      <ellipse cx={cx} cy={cy} rx={rx} ry={ry} fill="none" stroke="#fff" strokeWidth={stroke} strokeDasharray={`${stroke * 4} ${stroke * 2}`} />
      <path
        d={`M${x0 + boxWidth * 0.02} ${height} Q${x0 + boxWidth * 0.06} ${shoulderY} ${cx - rx * 0.55} ${shoulderY} H${cx + rx * 0.55} Q${x1 - boxWidth * 0.06} ${shoulderY} ${x1 - boxWidth * 0.02} ${height}`}
        fill="none"
        stroke="#fff"
        strokeWidth={stroke}
        strokeDasharray={`${stroke * 4} ${stroke * 2}`}
      />
    </svg>
  );
}

export function PhotoCapture(props: PhotoCaptureProps) {
  const { onCapture, verdict, disabled = false, locale: localeProp, onCameraChange, onPreviewFrame, autoCapture = false } = props;
  const contextLocale = useContext(LocaleContext);
  const locale = localeProp ?? contextLocale;
  const videoRef = useRef<HTMLVideoElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState<CameraState>({ kind: 'starting' });
  const [frame, setFrame] = useState({ width: 640, height: 480 });
  const [attempt, setAttempt] = useState(0);
  const [fileProblem, setFileProblem] = useState(false);
  const [capturing, setCapturing] = useState(false);
  const [liveStream, setLiveStream] = useState<MediaStream | null>(null);
  /** The video is showing real frames: before that a capture would be black (seen with fast operators). */
  const [frameReady, setFrameReady] = useState(false);
  const onCameraChangeRef = useRef(onCameraChange);
  onCameraChangeRef.current = onCameraChange;
  const onPreviewFrameRef = useRef(onPreviewFrame);
  onPreviewFrameRef.current = onPreviewFrame;
  const wantsPreview = onPreviewFrame !== undefined;
  const autoArmed = useRef(true);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (media?.getUserMedia === undefined) {
      setCamera({ kind: 'unavailable', reason: 'unsupported' });
      return;
    }
    setCamera({ kind: 'starting' });
    setFrameReady(false);
    media.getUserMedia(cameraConstraints).then(
      (s) => {
        if (cancelled) {
          for (const track of s.getTracks()) track.stop();
          return;
        }
        stream = s;
        setLiveStream(s);
        // A camera unplugged while live ends its track: say so rather than freeze.
        for (const track of s.getVideoTracks()) {
          track.addEventListener('ended', () => {
            setCamera({ kind: 'unavailable', reason: 'missing' });
            onCameraChangeRef.current?.(false);
          });
        }
        setCamera({ kind: 'live' });
        onCameraChangeRef.current?.(true);
      },
      (error: unknown) => {
        if (!cancelled) setCamera({ kind: 'unavailable', reason: reasonOf(error) });
      },
    );
    return () => {
      cancelled = true;
      setLiveStream(null);
      if (stream !== null) {
        for (const track of stream.getTracks()) track.stop();
        onCameraChangeRef.current?.(false);
      }
    };
  }, [attempt]);

  // Attach once both exist: the <video> mounts on the render after the stream arrives.
  useEffect(() => {
    const video = videoRef.current;
    if (video === null || liveStream === null) return;
    video.srcObject = liveStream;
    video.play().catch(() => {}); // a muted stream may autoplay; a refusal only delays the first frame
  }, [liveStream, camera.kind]);

  const deliver = useCallback(
    async (make: () => Promise<Blob>, source: PhotoSource) => {
      setCapturing(true);
      try {
        await onCapture(await make(), source);
      } finally {
        setCapturing(false);
      }
    },
    [onCapture],
  );

  const capture = () => {
    const video = videoRef.current;
    if (video === null || video.videoWidth === 0 || !frameReady) return;
    void deliver(() => toJpeg(video, video.videoWidth, video.videoHeight), 'camera');
  };
  const captureRef = useRef(capture);
  captureRef.current = capture;

  useEffect(() => {
    if (camera.kind !== 'live' || !wantsPreview || disabled) return;
    let inFlight = false;
    const timer = setInterval(() => {
      const video = videoRef.current;
      if (inFlight || video === null || video.videoWidth === 0) return;
      inFlight = true;
      const scale = Math.min(1, preview.maxWidth / video.videoWidth);
      toJpeg(video, Math.round(video.videoWidth * scale), Math.round(video.videoHeight * scale), preview.quality)
        .then((jpeg) => onPreviewFrameRef.current?.(jpeg))
        .catch(() => {}) // a lost preview frame only delays the advice
        .finally(() => {
          inFlight = false;
        });
    }, preview.intervalMs);
    return () => clearInterval(timer);
  }, [camera.kind, wantsPreview, disabled]);

  // Depends on the boolean, not the verdict object: fresh passing verdicts must not restart the wait.
  const passingNow = verdict?.passed === true;
  useEffect(() => {
    if (!passingNow) {
      autoArmed.current = true;
      return;
    }
    if (!autoCapture || camera.kind !== 'live' || disabled || capturing || !autoArmed.current) return;
    const timer = setTimeout(() => {
      autoArmed.current = false;
      captureRef.current();
    }, autoCaptureSteadyMs);
    return () => clearTimeout(timer);
  }, [passingNow, autoCapture, camera.kind, disabled, capturing]);

  const importFile = async (file: File | undefined) => {
    if (fileRef.current !== null) fileRef.current.value = '';
    if (file === undefined) return;
    setFileProblem(false);
    try {
      const bitmap = await createImageBitmap(file); // honours EXIF orientation; re-encoding drops metadata
      await deliver(() => toJpeg(bitmap, bitmap.width, bitmap.height), 'import');
      bitmap.close();
    } catch {
      setFileProblem(true);
    }
  };

  const failing = verdict?.checks.find((c) => !c.passed);
  const advice = verdict === undefined ? null : verdict.passed === true ? photoTexts.accepted : failing === undefined ? null : textOf(failing.message);
  const busy = disabled || capturing;

  return (
    <div className="photo-capture" data-camera={camera.kind} style={{ display: 'grid', gap: '0.75rem' }}>
      {camera.kind === 'unavailable' ? (
        <div role="alert" data-testid="photo-camera-problem" style={{ padding: '1.5rem', border: '2px solid currentColor', borderRadius: 12 }}>
          <Text text={photoTexts[camera.reason]} locale={locale} large />
          {camera.reason !== 'unsupported' && (
            <button type="button" className="secondary" onClick={() => setAttempt((n) => n + 1)} style={{ marginTop: '1rem' }}>
              <Text text={photoTexts.retryCamera} locale={locale} />
            </button>
          )}
        </div>
      ) : (
        <div style={{ position: 'relative', background: '#000', aspectRatio: `${frame.width} / ${frame.height}`, maxHeight: '60vh' }}>
          <video
            ref={videoRef}
            data-testid="photo-preview"
            autoPlay
            muted
            playsInline
            onLoadedMetadata={(e) => setFrame({ width: e.currentTarget.videoWidth || 640, height: e.currentTarget.videoHeight || 480 })}
            onPlaying={() => setFrameReady(true)}
            // Mirrored like a mirror for the applicant; the capture itself is not mirrored.
            style={{ width: '100%', height: '100%', objectFit: 'contain', transform: 'scaleX(-1)', display: 'block' }}
          />
          <FramingGuide width={frame.width} height={frame.height} />
          {camera.kind === 'starting' && (
            <div role="status" style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', color: '#fff' }}>
              <Text text={photoTexts.starting} locale={locale} large />
            </div>
          )}
          {advice !== null && (
            <div
              data-testid="photo-advice"
              role="status"
              style={{ position: 'absolute', left: 0, right: 0, bottom: 0, padding: '0.75rem', textAlign: 'center', color: '#fff', background: verdict?.passed === true ? 'rgba(0,110,40,0.8)' : 'rgba(0,0,0,0.7)' }}
            >
              <Text text={advice} locale={locale} large />
            </div>
          )}
        </div>
      )}
      {camera.kind === 'live' && (
        <p style={{ margin: 0 }}>
          <Text text={photoTexts.guide} locale={locale} />
        </p>
      )}
      <div className="actions" style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
        {camera.kind !== 'unavailable' && (
          <button type="button" data-testid="photo-capture" disabled={busy || camera.kind !== 'live' || !frameReady} onClick={capture}>
            <Text text={photoTexts.capture} locale={locale} large />
          </button>
        )}
        <button type="button" className="secondary" data-testid="photo-import" disabled={busy} onClick={() => fileRef.current?.click()}>
          <Text text={photoTexts.importFile} locale={locale} />
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="image/jpeg,image/png"
          data-testid="photo-file"
          hidden
          onChange={(e) => void importFile(e.currentTarget.files?.[0])}
        />
      </div>
      {fileProblem && (
        <p role="alert" data-testid="photo-file-problem">
          <Text text={photoTexts.badFile} locale={locale} />
        </p>
      )}
    </div>
  );
}
