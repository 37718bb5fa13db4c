import { useEffect, useState } from 'react';
import type { ApplicationForm, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { taoyuanDistricts } from '../../../../shared/contract/kiosk-api';
import { command } from '../command';
import { BilingualText, MessageText, useT } from '../i18n';

const update = (fields: Partial<ApplicationForm>) => command({ type: 'update-application', fields });

export function ApplicationScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { form, eligibility, problems, documentProblems, source, fee } = snapshot.application;
  const chosen = eligibility?.cards.find((card) => card.type === form.cardType);
  return (
    <section className="application">
      <h2>{t('applicationTitle')}</h2>
      <p className={source === 'scanner' ? 'notice ok' : 'notice'} data-testid="scan-hint">
        {source === 'scanner' ? t('applicationFromScanner') : t('applicationScanHint')}
      </p>
      {documentProblems.map((problem, index) => (
        <p key={index} className="notice warn"><MessageText message={problem} /></p>
      ))}
      <div className="form-grid">
        <TextField label={t('fieldIdNumber')} name="idNumber" value={form.idNumber} />
        <TextField label={t('fieldName')} name="name" value={form.name} />
        <TextField label={t('fieldNameZh')} name="nameZh" value={form.nameZh} />
        <TextField label={t('fieldBirthDate')} name="birthDate" value={form.birthDate} type="date" />
        <label>
          {t('fieldSex')}
          <select name="sex" value={form.sex} onChange={(e) => update({ sex: e.target.value as ApplicationForm['sex'] })}>
            <option value="">—</option>
            <option value="M">{t('sexM')}</option>
            <option value="F">{t('sexF')}</option>
          </select>
        </label>
        <TextField label={t('fieldNationality')} name="nationality" value={form.nationality} />
        <TextField label={t('fieldDocumentNumber')} name="documentNumber" value={form.documentNumber} />
        <label>
          {t('fieldDistrict')}
          <select name="district" value={form.district} onChange={(e) => update({ district: e.target.value as ApplicationForm['district'] })}>
            <option value="">{t('districtNone')}</option>
            {taoyuanDistricts.map((district) => <option key={district} value={district}>{district}</option>)}
          </select>
        </label>
        <label>
          {t('fieldDisability')}
          <select
            name="disabilityCertificate"
            value={form.disabilityCertificate}
            onChange={(e) => update({ disabilityCertificate: e.target.value as ApplicationForm['disabilityCertificate'] })}
          >
            <option value="none">{t('disabilityNone')}</option>
            <option value="yes">{t('disabilityYes')}</option>
            <option value="yes-companion">{t('disabilityCompanion')}</option>
          </select>
        </label>
        <label>
          {t('fieldSchool')}
          <select name="school" value={form.school} onChange={(e) => update({ school: e.target.value as ApplicationForm['school'] })}>
            <option value="">{t('schoolNone')}</option>
            {(['elementary', 'junior-high', 'senior-high'] as const).map((level) => (
              <option key={level} value={level}>{t.key(`school${level}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('fieldScheme')}
          <select name="scheme" value={form.scheme} onChange={(e) => update({ scheme: e.target.value as ApplicationForm['scheme'] })}>
            <option value="easycard">{t('schemeeasycard')}</option>
            <option value="ipass">{t('schemeipass')}</option>
          </select>
        </label>
      </div>
      <div className="checks">
        <Check label={t('fieldIndigenous')} name="indigenous" checked={form.indigenous} />
        <Check label={t('fieldResidencePermit')} name="residencePermit" checked={form.residencePermit} />
        <Check label={t('fieldSpouse')} name="spouseOfResident" checked={form.spouseOfResident} />
        <Check label={t('fieldUniversity')} name="universityInTaoyuan" checked={form.universityInTaoyuan} />
        <Check label={t('fieldCityEmployee')} name="cityEmployee" checked={form.cityEmployee} />
        {eligibility?.guardianConsentRequired && (
          <Check label={t('fieldGuardianConsent')} name="guardianConsent" checked={form.guardianConsent} />
        )}
      </div>

      {eligibility && (
        <fieldset className="card-types">
          <legend>{t('fieldCardType')}</legend>
          {eligibility.cards.map((card) => (
            <label key={card.type} className={card.eligible ? 'card-type eligible' : 'card-type'} data-card-type={card.type}>
              <input
                type="radio"
                name="cardType"
                value={card.type}
                disabled={!card.eligible}
                checked={form.cardType === card.type}
                onChange={() => update({ cardType: card.type as ApplicationForm['cardType'] })}
              />
              <strong>{t.key(`card${card.type}`)}</strong>
              <span className="verdict">
                {card.eligible ? t('eligible') : t('notEligible')}
                {card.action && ` · ${t.key(`action${card.action}`)}`}
                {card.monthlyPoints > 0 && ` · ${t('monthlyPoints')} ${card.monthlyPoints}`}
              </span>
              <ul className="reasons">
                {card.reasons.map((reason, index) => <li key={index}><BilingualText text={reason} /></li>)}
              </ul>
            </label>
          ))}
        </fieldset>
      )}
      {chosen?.action === 'replacement' && (
        <label className="replacement">
          {t('fieldReplacementCause')}
          <select
            name="replacementCause"
            value={form.replacementCause}
            onChange={(e) => update({ replacementCause: e.target.value as ApplicationForm['replacementCause'] })}
          >
            {(['lost', 'damaged', 'data-changed', 'defect', 'transfer'] as const).map((cause) => (
              <option key={cause} value={cause}>{t.key(`cause${cause}`)}</option>
            ))}
          </select>
          <span>{t('fee')}: {fee > 0 ? `NT$${fee}` : t('free')}</span>
        </label>
      )}
      {problems.length > 0 && (
        <div className="problems" role="alert">
          <h3>{t('problemsTitle')}</h3>
          <ul>{problems.map((problem, index) => <li key={index}><MessageText message={problem} /></li>)}</ul>
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => command({ type: 'cancel' })}>{t('cancel')}</button>
        <button type="button" className="primary" disabled={problems.length > 0 || !eligibility} onClick={() => command({ type: 'submit-application' })}>
          {t('next')}
        </button>
      </div>
    </section>
  );
}

type TextFieldName = 'idNumber' | 'name' | 'nameZh' | 'birthDate' | 'nationality' | 'documentNumber';

/** Text is edited locally and sent when the field is left, so a push never moves the cursor. */
function TextField({ label, name, value, type = 'text' }: { label: string; name: TextFieldName; value: string; type?: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = (): void => {
    if (draft !== value) update({ [name]: draft } as Partial<ApplicationForm>);
  };
  return (
    <label>
      {label}
      <input
        name={name}
        type={type}
        value={draft}
        autoComplete="off"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

type CheckName = 'indigenous' | 'residencePermit' | 'spouseOfResident' | 'universityInTaoyuan' | 'cityEmployee' | 'guardianConsent';

function Check({ label, name, checked }: { label: string; name: CheckName; checked: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => update({ [name]: e.target.checked } as Partial<ApplicationForm>)} />
      {label}
    </label>
  );
}
