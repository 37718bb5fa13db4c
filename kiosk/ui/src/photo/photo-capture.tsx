import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Bilingual, PhotoCheckView, PhotoSource } from '../../../../shared/contract/kiosk-api';
import { textIn } from '../../../../shared/i18n/localized-text';
import { textOf } from '../../../../shared/i18n/message-catalogue';
import type { Locale } from '../../../../shared/i18n/messages';
import { LocaleContext, useT } from '../i18n';
import { photoTexts } from './photo-texts';
import { playShutter } from './shutter-sound';

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
  onCapture(jpeg: Blob, source: PhotoSource, reason?: string): void | Promise<void>;
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
  /**
   * Capture by itself after a 3-2-1 countdown while `verdict.passed` holds (after each failing verdict,
   * again); a failing verdict during the countdown cancels it.
   */
  autoCapture?: boolean;
  /** No shutter click (the speech helper's mute). */
  muted?: boolean;
  /**
   * A photo file replaces the camera only with a reason (the controller asks a supervisor to approve
   * it): the import button opens a reason field first, and `onCapture` gets the reason as its third argument.
   */
  importNeedsReason?: boolean;
}

/** The shortest reason the controller takes for an import (as for an override). */
const minReasonLength = 4;

type CameraState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'unavailable'; readonly reason: 'denied' | 'missing' | 'unsupported' };

/** The ID-photo framing of the controller's gate: head 71–80 % of the height, crown 10 % below the top. */
const guide = { crownMargin: 0.1, headHeight: 0.755, headAspect: 0.74, photoAspect: 35 / 45 };
const jpegQuality = 0.92;
/** Live preview frames: small and frequent enough for ≥ 4 verdicts a second. */
const preview = { intervalMs: 250, maxWidth: 640, quality: 0.8 };
/** The automatic capture's countdown: 3, 2, 1, a second each, every check passing throughout. */
const countdown = { from: 3, stepMs: 1000 };
const cameraConstraints: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 960 } },
};

function reasonOf(error: unknown): 'denied' | 'missing' {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'missing';
}

/** The screen's language with the other beneath; the second line keeps its contrast (no fading: axe). */
function Text({ text, locale, large = false }: { text: Bilingual; locale: Locale; large?: boolean }) {
  const shown = textIn(locale, text);
  return (
    <span className={large ? 'photo-text large' : 'photo-text'} style={{ display: 'block' }}>
      {shown.main}
      <small className="second-language" style={{ display: 'block' }}>{shown.beneath}</small>
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
      // Cropped as the video is (object-fit: cover): the guide stays on the face.
      preserveAspectRatio="xMidYMid slice"
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
  const { onCapture, verdict, disabled = false, locale: localeProp, onCameraChange, onPreviewFrame, autoCapture = false, muted = false, importNeedsReason = false } = props;
  const t = useT();
  const contextLocale = useContext(LocaleContext);
  const locale = localeProp ?? contextLocale;
  const videoRef = useRef<HTMLVideoElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState<CameraState>({ kind: 'starting' });
  const [frame, setFrame] = useState({ width: 640, height: 480 });
  const [attempt, setAttempt] = useState(0);
  const [fileProblem, setFileProblem] = useState(false);
  const [capturing, setCapturing] = useState(false);
  /** The automatic capture's count (3, 2, 1), or null when none is running. */
  const [count, setCount] = useState<number | null>(null);
  /** The import's reason field is open (only when an import needs a reason). */
  const [importing, setImporting] = useState(false);
  const [reason, setReason] = useState('');
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
    async (make: () => Promise<Blob>, source: PhotoSource, why?: string) => {
      setCapturing(true);
      try {
        await onCapture(await make(), source, why);
      } finally {
        setCapturing(false);
      }
    },
    [onCapture],
  );

  const capture = () => {
    const video = videoRef.current;
    if (video === null || video.videoWidth === 0 || !frameReady) return;
    playShutter(muted);
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
    if (!passingNow) autoArmed.current = true;
    if (!passingNow || !autoCapture || camera.kind !== 'live' || disabled || capturing || !autoArmed.current) {
      setCount(null);
      return;
    }
    let left = countdown.from;
    setCount(left);
    const timer = setInterval(() => {
      left -= 1;
      if (left > 0) {
        setCount(left);
        return;
      }
      clearInterval(timer);
      setCount(null);
      autoArmed.current = false;
      captureRef.current();
    }, countdown.stepMs);
    // A failing verdict (or anything else that stops the capture) cancels the count; a passing one starts it from 3.
    return () => clearInterval(timer);
  }, [passingNow, autoCapture, camera.kind, disabled, capturing]);

  const importFile = async (file: File | undefined) => {
    if (fileRef.current !== null) fileRef.current.value = '';
    if (file === undefined) return;
    setFileProblem(false);
    try {
      const bitmap = await createImageBitmap(file); // honours EXIF orientation; re-encoding drops metadata
      await deliver(() => toJpeg(bitmap, bitmap.width, bitmap.height), 'import', importNeedsReason ? reason.trim() : undefined);
      bitmap.close();
      setImporting(false);
      setReason('');
    } catch {
      setFileProblem(true);
    }
  };

  const failing = verdict?.checks.find((c) => !c.passed);
  const advice = verdict === undefined ? null : verdict.passed === true ? photoTexts.accepted : failing === undefined ? null : textOf(failing.message);
  const busy = disabled || capturing;

  const openImport = () => {
    if (importNeedsReason) setImporting(true);
    else fileRef.current?.click();
  };
  const reasonGiven = reason.trim().length >= minReasonLength;

  return (
    <div className="photo-capture" data-camera={camera.kind}>
      {camera.kind === 'unavailable' ? (
        <div role="alert" data-testid="photo-camera-problem" className="photo-camera-problem">
          <Text text={photoTexts[camera.reason]} locale={locale} large />
          {camera.reason !== 'unsupported' && (
            <button type="button" className="secondary" onClick={() => setAttempt((n) => n + 1)}>
              <Text text={photoTexts.retryCamera} locale={locale} />
            </button>
          )}
        </div>
      ) : (
        // Square: the centre of the frame, where the ID photo is, as large as the panel allows.
        <div className="photo-preview" style={{ position: 'relative', aspectRatio: '1 / 1', overflow: 'hidden' }}>
          <video
            ref={videoRef}
            data-testid="photo-preview"
            autoPlay
            muted
            playsInline
            onLoadedMetadata={(e) => setFrame({ width: e.currentTarget.videoWidth || 640, height: e.currentTarget.videoHeight || 480 })}
            onPlaying={() => setFrameReady(true)}
            // Mirrored like a mirror for the applicant; the capture itself is not mirrored.
            style={{ transform: 'scaleX(-1)', display: 'block', width: '100%', height: '100%', objectFit: 'cover' }}
          />
          <FramingGuide width={frame.width} height={frame.height} />
          {camera.kind === 'live' && count === null && (
            <p className="photo-guide">
              <Text text={photoTexts.guide} locale={locale} />
            </p>
          )}
          {camera.kind === 'starting' && (
            <div role="status" className="photo-overlay">
              <Text text={photoTexts.starting} locale={locale} large />
            </div>
          )}
          {/* In the guide's place at the top: the applicant's face stays in view while counting. */}
          {count !== null && (
            <div className="photo-countdown" data-testid="photo-countdown" data-count={count} role="timer" aria-label={t('photoHoldStill')}>
              <span className="photo-countdown-number" aria-hidden="true">{count}</span>
              <span className="photo-countdown-words">{t('photoHoldStill')}</span>
            </div>
          )}
          {advice !== null && (
            <div data-testid="photo-advice" role="status" className={verdict?.passed === true ? 'photo-advice passing' : 'photo-advice'}>
              <Text text={advice} locale={locale} large />
            </div>
          )}
        </div>
      )}
      <div className="actions photo-capture-actions">
        {camera.kind !== 'unavailable' && (
          <button type="button" className="primary" data-testid="photo-capture" disabled={busy || camera.kind !== 'live' || !frameReady} onClick={capture}>
            <Text text={photoTexts.capture} locale={locale} large />
          </button>
        )}
        {!importing && (
          <button type="button" className="secondary" data-testid="photo-import" disabled={busy} onClick={openImport}>
            {importNeedsReason ? t('photoImportOpen') : <Text text={photoTexts.importFile} locale={locale} />}
          </button>
        )}
        <input
          ref={fileRef}
          type="file"
          accept="image/jpeg,image/png"
          data-testid="photo-file"
          hidden
          onChange={(e) => void importFile(e.currentTarget.files?.[0])}
        />
      </div>
      {importing && (
        <div className="photo-import" data-testid="photo-import-panel">
          <label>
            {t('photoImportReason')}
            <input name="importReason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
          </label>
          <p className="notice">{t('photoImportApproval')}</p>
          <div className="actions">
            <button type="button" data-testid="photo-import-choose" disabled={busy || !reasonGiven} onClick={() => fileRef.current?.click()}>
              {t('photoImportChoose')}
            </button>
            <button type="button" className="secondary" onClick={() => setImporting(false)}>{t('photoImportClose')}</button>
          </div>
        </div>
      )}
      {fileProblem && (
        <p role="alert" data-testid="photo-file-problem">
          <Text text={photoTexts.badFile} locale={locale} />
        </p>
      )}
    </div>
  );
}
