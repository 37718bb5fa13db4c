import { useState } from 'react';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { NursingHomeOverride } from '../batch/nursing-home-override';
import { command } from '../command';
import { BilingualText, useT } from '../i18n';
import { PhotoCapture, type PhotoSource } from '../photo/photo-capture';
import { PhotoChecks } from '../photo/photo-checks';
import { photoTexts } from '../photo/photo-texts';

async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The photo step: the camera large on the left (a 3-2-1 countdown takes the photo once every check
 * passes), and on the right what the operator needs: the attempts, what to fix after a failed capture,
 * the override after the last attempt, and the way back.
 * `muted`: no shutter click (the speech helper's mute).
 */
export function PhotoScreen({ snapshot, muted = false }: { snapshot: KioskSnapshot; muted?: boolean }) {
  const t = useT();
  const { photo } = snapshot;
  const [reason, setReason] = useState('');
  const capture = async (jpeg: Blob, source: PhotoSource, importReason?: string): Promise<void> => {
    const jpegBase64 = await blobToBase64(jpeg);
    // A file in place of the camera goes with its reason, for a supervisor to approve.
    if (source === 'import') await command({ type: 'import-photo', jpegBase64, reason: importReason ?? '' });
    else await command({ type: 'capture-photo', jpegBase64, source });
  };
  const outOfAttempts = photo.attempts >= photo.maxAttempts && photo.passed === false && !photo.evaluating;
  return (
    <section className="photo photo-layout">
        <div className="photo-main">
          <PhotoCapture
            onCapture={capture}
            verdict={photo.live ?? photo}
            onPreviewFrame={async (frame) => {
              await command({ type: 'preview-photo', jpegBase64: await blobToBase64(frame) }, 'none');
            }}
            autoCapture={!photo.accepted}
            muted={muted}
            importNeedsReason
            onCameraChange={(live) => command({ type: 'camera', live })}
            disabled={photo.evaluating || photo.attempts >= photo.maxAttempts}
          />
        </div>
        <div className="photo-side">
          <h2>{t('photoTitle')}</h2>
          <p className="attempts" data-testid="photo-attempts">
            {t('photoAttempts')}: {photo.attempts} / {photo.maxAttempts}
          </p>
          {photo.evaluating && <p className="notice" role="status">{t('photoEvaluating')}</p>}
          {photo.passed === false && <PhotoChecks checks={photo.checks} />}
          {outOfAttempts && !photo.overrideAllowed && (
            <p className="notice warn" role="alert" data-testid="photo-override-refused">
              <BilingualText text={photoTexts.overrideRefused} />
            </p>
          )}
          {photo.overrideAllowed && snapshot.batch?.photoException === true && <NursingHomeOverride send={command} />}
          {photo.overrideAllowed && snapshot.batch?.photoException !== true && (
            <div className="override">
              <label>
                {t('photoOverrideReason')}
                <input name="overrideReason" value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="button" className="secondary" disabled={reason.trim().length < 4} onClick={() => command({ type: 'override-photo', reason })}>
                {t('photoOverride')}
              </button>
            </div>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => command({ type: 'back' })}>{t('back')}</button>
            <button type="button" className="secondary" onClick={() => command({ type: 'cancel' })}>{t('cancel')}</button>
            {photo.accepted && <button type="button" className="primary" data-action="use-photo" onClick={() => command({ type: 'use-photo' })}>{t('usePhoto')}</button>}
          </div>
        </div>
    </section>
  );
}
