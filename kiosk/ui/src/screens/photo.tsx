import { useState } from 'react';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { NursingHomeOverride } from '../batch/nursing-home-override';
import { command } from '../command';
import { BilingualText, MessageText, useT } from '../i18n';
import { PhotoCapture, type PhotoSource } from '../photo/photo-capture';
import { photoTexts } from '../photo/photo-texts';

async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function PhotoScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { photo } = snapshot;
  const [reason, setReason] = useState('');
  const capture = async (jpeg: Blob, source: PhotoSource): Promise<void> => {
    await command({ type: 'capture-photo', jpegBase64: await blobToBase64(jpeg), source });
  };
  const outOfAttempts = photo.attempts >= photo.maxAttempts && photo.passed === false && !photo.evaluating;
  return (
    <section className="photo">
      <h2>{t('photoTitle')}</h2>
      <p className="notice">{t('photoHint')}</p>
      <PhotoCapture
        onCapture={capture}
        verdict={photo.live ?? photo}
        onPreviewFrame={async (frame) => {
          await command({ type: 'preview-photo', jpegBase64: await blobToBase64(frame) }, 'none');
        }}
        autoCapture={!photo.accepted}
        onCameraChange={(live) => command({ type: 'camera', live })}
        disabled={photo.evaluating || photo.attempts >= photo.maxAttempts}
      />
      <p className="attempts" data-testid="photo-attempts">
        {t('photoAttempts')}: {photo.attempts} / {photo.maxAttempts}
      </p>
      {photo.evaluating && <p className="notice" role="status">{t('photoEvaluating')}</p>}
      {photo.passed === false && (
        <ul className="photo-checks" role="alert">
          {photo.checks.filter((check) => !check.passed).map((check) => (
            <li key={check.id} data-check={check.id}><MessageText message={check.message} /></li>
          ))}
        </ul>
      )}
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
    </section>
  );
}
