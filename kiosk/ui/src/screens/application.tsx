import { useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ApplicationForm, EligibilityView, KioskSnapshot, Message } from '../../../../shared/contract/kiosk-api';
import { taoyuanDistricts } from '../../../../shared/contract/kiosk-api';
import { textIn } from '../../../../shared/i18n/localized-text';
import { textOf } from '../../../../shared/i18n/message-catalogue';
import { problemsByField } from '../application/problem-fields';
import { command } from '../command';
import { BilingualText, LocaleContext, MessageText, useT } from '../i18n';

/**
 * The application in one glance (1280 × 800 with the print queue beside it): what the scanner read,
 * read-only until the operator taps "Correct"; each problem at its field and counted at the top; the
 * card types the applicant may have first, the recommended one preselected by the controller, the
 * others folded to a line each with the reason on demand; Cancel and Next always in view.
 */

const update = (fields: Partial<ApplicationForm>) => command({ type: 'update-application', fields });

type Field = keyof ApplicationForm;

interface FieldState {
  readonly scanned: ReadonlySet<Field>;
  readonly unlocked: ReadonlySet<Field>;
  readonly unlock: (field: Field) => void;
  readonly problems: ReadonlyMap<Field, Message[]>;
}

export function ApplicationScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { form, eligibility, problems, documentProblems, source, fee, scannedFields } = snapshot.application;
  const [unlocked, setUnlocked] = useState<ReadonlySet<Field>>(new Set());
  const grouped = problemsByField(problems);
  const state: FieldState = {
    scanned: new Set(scannedFields),
    unlocked,
    unlock: (field) => {
      setUnlocked((before) => new Set([...before, field]));
      // The cursor goes into the field at once, ready for the correction.
      requestAnimationFrame(() => document.getElementById(`field-${field}`)?.focus());
    },
    problems: grouped.at,
  };
  const chosen = eligibility?.cards.find((card) => card.type === form.cardType);
  // A machine-readable document (passport, residence permit) carries no Chinese name: the empty field says why.
  const nameZhWhy = source === 'scanner' && form.documentNumber !== '' && form.nameZh === '' ? t('appNameZhWhy') : null;
  return (
    <section className="application one-glance">
      <div className="app-head">
        <h2>{t('applicationTitle')}</h2>
        <p className={source === 'scanner' ? 'scan-state ok' : 'scan-state'} data-testid="scan-hint">
          {source === 'scanner' ? t('appScannedShort') : t('appScanShort')}
        </p>
      </div>
      {documentProblems.length > 0 && (
        <div className="notice warn document-problems" role="alert">
          <strong>{t('appDocumentProblems')}</strong>
          <ul>{documentProblems.map((problem, index) => <li key={index}><MessageText message={problem} /></li>)}</ul>
        </div>
      )}
      {problems.length > 0 && <ProblemSummary byField={grouped.at} general={grouped.general} />}

      <div className="app-grid">
        <TextField label={t('fieldName')} name="name" value={form.name} state={state} span={14} fit />
        <TextField label={t('fieldNameZh')} name="nameZh" value={form.nameZh} state={state} span={10} note={nameZhWhy} />
        <TextField label={t('fieldIdNumber')} name="idNumber" value={form.idNumber} state={state} span={5} />
        <TextField label={t('fieldBirthDate')} name="birthDate" value={form.birthDate} state={state} span={6} type="date" />
        <SelectField
          label={t('fieldSex')}
          name="sex"
          value={form.sex}
          state={state}
          span={3}
          options={[['', '—'], ['M', t('sexM')], ['F', t('sexF')]]}
        />
        <TextField label={t('fieldNationality')} name="nationality" value={form.nationality} state={state} span={3} />
        <TextField label={t('fieldDocumentNumber')} name="documentNumber" value={form.documentNumber} state={state} span={7} />
        <SelectField
          label={t('fieldDistrict')}
          name="district"
          value={form.district}
          state={state}
          span={6}
          options={[['', t('districtNone')], ...taoyuanDistricts.map((district): [string, string] => [district, district])]}
        />
        <SelectField
          label={t('fieldDisability')}
          name="disabilityCertificate"
          value={form.disabilityCertificate}
          state={state}
          span={6}
          options={[['none', t('disabilityNone')], ['yes', t('disabilityYes')], ['yes-companion', t('disabilityCompanion')]]}
        />
        <SelectField
          label={t('fieldSchool')}
          name="school"
          value={form.school}
          state={state}
          span={6}
          options={[['', t('schoolNone')], ...(['elementary', 'junior-high', 'senior-high'] as const).map((level): [string, string] => [level, t.key(`school${level}`)])]}
        />
        <SelectField
          label={t('fieldScheme')}
          name="scheme"
          value={form.scheme}
          state={state}
          span={6}
          options={[['easycard', t('schemeeasycard')], ['ipass', t('schemeipass')]]}
        />
      </div>
      <div className="checks">
        <Check label={t('fieldIndigenous')} name="indigenous" checked={form.indigenous} state={state} />
        <Check label={t('fieldResidencePermit')} name="residencePermit" checked={form.residencePermit} state={state} />
        <Check label={t('fieldSpouse')} name="spouseOfResident" checked={form.spouseOfResident} state={state} />
        <Check label={t('fieldUniversity')} name="universityInTaoyuan" checked={form.universityInTaoyuan} state={state} />
        <Check label={t('fieldCityEmployee')} name="cityEmployee" checked={form.cityEmployee} state={state} />
        {eligibility?.guardianConsentRequired && (
          <Check label={t('fieldGuardianConsent')} name="guardianConsent" checked={form.guardianConsent} state={state} />
        )}
      </div>

      <CardTypes eligibility={eligibility} cardType={form.cardType} problems={grouped.at.get('cardType') ?? []}>
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
      </CardTypes>

      {/* Sticky: Next is on screen whatever the form's length (a long list of reasons opened, large text). */}
      <div className="actions sticky-actions">
        <button type="button" className="secondary" data-action="cancel" onClick={() => command({ type: 'cancel' })}>{t('cancel')}</button>
        <button
          type="button"
          className="primary"
          data-action="next"
          disabled={problems.length > 0 || !eligibility}
          onClick={() => command({ type: 'submit-application' })}
        >
          {t('next')}
        </button>
      </div>
    </section>
  );
}

/** Field names the summary gives for the field a problem is at. */
const fieldLabelKey: Partial<Record<Field, string>> = {
  idNumber: 'fieldIdNumber',
  name: 'fieldName',
  nameZh: 'fieldNameZh',
  birthDate: 'fieldBirthDate',
  sex: 'fieldSex',
  nationality: 'fieldNationality',
  documentNumber: 'fieldDocumentNumber',
  cardType: 'fieldCardType',
  guardianConsent: 'fieldGuardianConsent',
};

/** At the top: how many things are left and where (the fields say what); a problem of no field in full. */
function ProblemSummary({ byField, general }: { byField: ReadonlyMap<Field, Message[]>; general: readonly Message[] }) {
  const t = useT();
  const count = [...byField.values()].reduce((sum, list) => sum + list.length, 0) + general.length;
  return (
    <div className="problems" role="alert" data-testid="problem-summary">
      <strong>{t('appProblemsCount').replace('{n}', String(count))}</strong>
      <span>{[...byField.keys()].map((field) => t.key(fieldLabelKey[field] ?? field)).join('、')}</span>
      {general.map((problem, index) => <span key={index} className="general-problem"><MessageText message={problem} /></span>)}
    </div>
  );
}

/** A problem at its field: in the screen's language only (the summary above has the alert). */
function FieldProblems({ problems }: { problems: readonly Message[] | undefined }) {
  const locale = useContext(LocaleContext);
  if (!problems || problems.length === 0) return null;
  return (
    <>
      {problems.map((problem, index) => (
        <span key={index} className="field-problem" data-code={problem.code}>{textIn(locale, textOf(problem)).main}</span>
      ))}
    </>
  );
}

/** A field's frame: its label, the scanner's lock with "Correct", its problems. */
function FieldFrame({ name, label, state, span, note, children }: { name: Field; label: string; state: FieldState; span: number; note?: string | null | undefined; children: (locked: boolean) => ReactNode }) {
  const t = useT();
  const locked = state.scanned.has(name) && !state.unlocked.has(name);
  const problems = state.problems.get(name);
  return (
    <div className={problems ? 'field has-problem' : 'field'} data-field={name} data-scanned={locked || undefined} style={{ gridColumn: `span ${span}` }}>
      <label htmlFor={`field-${name}`}>{label}</label>
      <div className="field-input">
        {children(locked)}
        {/* The whole read-only field is the button: a tap anywhere on it opens it for the correction. */}
        {locked && (
          <button type="button" className="correct" data-action="correct" aria-label={`${t('appCorrectField')}${label}`} onClick={() => state.unlock(name)}>
            <span aria-hidden="true">✎</span>
          </button>
        )}
      </div>
      <FieldProblems problems={problems} />
      {note && <span className="field-note" data-testid={`${name === 'nameZh' ? 'name-zh' : name}-why`}>{note}</span>}
    </div>
  );
}

type TextFieldName = 'idNumber' | 'name' | 'nameZh' | 'birthDate' | 'nationality' | 'documentNumber';

/** Text is edited locally and sent when the field is left, so a push never moves the cursor. */
function TextField({ label, name, value, state, span, type = 'text', note, fit = false }: {
  label: string; name: TextFieldName; value: string; state: FieldState; span: number; type?: string; note?: string | null; fit?: boolean;
}) {
  const [draft, setDraft] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setDraft(value), [value]);
  useFitText(input, fit ? draft : null);
  const commit = (): void => {
    if (draft !== value) update({ [name]: draft } as Partial<ApplicationForm>);
  };
  return (
    <FieldFrame name={name} label={label} state={state} span={span} note={note}>
      {(locked) => (
          <input
            ref={input}
            id={`field-${name}`}
            name={name}
            type={type}
            value={draft}
            readOnly={locked}
            autoComplete="off"
            aria-invalid={state.problems.has(name) || undefined}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => e.key === 'Enter' && commit()}
          />
      )}
    </FieldFrame>
  );
}

type SelectFieldName = 'sex' | 'district' | 'disabilityCertificate' | 'school' | 'scheme';

/** A choice; read from the scanner (the sex) it shows as text until "Correct" is tapped. */
function SelectField({ label, name, value, state, span, options }: {
  label: string; name: SelectFieldName; value: string; state: FieldState; span: number; options: ReadonlyArray<readonly [string, string]>;
}) {
  return (
    <FieldFrame name={name} label={label} state={state} span={span}>
      {(locked) =>
        locked ? (
          <input id={`field-${name}`} name={name} readOnly value={options.find(([option]) => option === value)?.[1] ?? value} />
        ) : (
          <select id={`field-${name}`} name={name} value={value} onChange={(e) => update({ [name]: e.target.value } as Partial<ApplicationForm>)}>
            {options.map(([option, text]) => <option key={option} value={option}>{text}</option>)}
          </select>
        )
      }
    </FieldFrame>
  );
}

/**
 * A long romanised name is never cut: the type steps down (to 0.7 of the field's size) until the
 * whole name shows; a name longer still scrolls, its whole text in the tooltip.
 */
function useFitText(ref: React.RefObject<HTMLInputElement | null>, text: string | null): void {
  useLayoutEffect(() => {
    const input = ref.current;
    if (!input || text === null) return;
    input.style.fontSize = '';
    input.title = text;
    const full = parseFloat(getComputedStyle(input).fontSize);
    for (let scale = 0.95; input.scrollWidth > input.clientWidth && scale >= 0.7; scale -= 0.05) input.style.fontSize = `${full * scale}px`;
  }, [ref, text]);
}

type CheckName = 'indigenous' | 'residencePermit' | 'spouseOfResident' | 'universityInTaoyuan' | 'cityEmployee' | 'guardianConsent';

function Check({ label, name, checked, state }: { label: string; name: CheckName; checked: boolean; state: FieldState }) {
  const problems = state.problems.get(name);
  return (
    <label className={problems ? 'check has-problem' : 'check'} data-field={name}>
      <input type="checkbox" name={name} checked={checked} onChange={(e) => update({ [name]: e.target.checked } as Partial<ApplicationForm>)} />
      {label}
      <FieldProblems problems={problems} />
    </label>
  );
}

type CardView = EligibilityView['cards'][number];

/** The eligible types as choices (the recommended one marked), the others one line each, why on demand. */
function CardTypes({ eligibility, cardType, problems, children }: { eligibility: EligibilityView | null; cardType: string; problems: readonly Message[]; children: ReactNode }) {
  const t = useT();
  if (!eligibility) {
    return (
      <fieldset className="card-types" data-field="cardType">
        <legend>{t('fieldCardType')}</legend>
        <p className="card-types-later">{t('appCardTypesLater')}</p>
      </fieldset>
    );
  }
  const eligible = eligibility.cards.filter((card) => card.eligible);
  const ineligible = eligibility.cards.filter((card) => !card.eligible);
  return (
    <fieldset className={problems.length > 0 ? 'card-types has-problem' : 'card-types'} data-field="cardType">
      <legend>{t('appEligibleTypes')}</legend>
      <div className="card-type-row">
        {eligible.length === 0 && <p className="card-types-later">{t('appNoneEligible')}</p>}
        {eligible.map((card) => (
          <EligibleType key={card.type} card={card} checked={cardType === card.type} recommended={eligibility.recommended === card.type} />
        ))}
        {children}
        {ineligible.length > 0 && <span className="ineligible-title">{t('appNotEligibleTypes')}</span>}
        {ineligible.map((card) => (
          <details key={card.type} className="card-type ineligible" data-card-type={card.type}>
            <summary>
              <span aria-hidden="true">✕ </span>{t.key(`card${card.type}`)}<span className="visually-hidden"> · {t('appWhyNot')}</span>
            </summary>
            <ul className="reasons">{card.reasons.map((reason, index) => <li key={index}><BilingualText text={reason} /></li>)}</ul>
          </details>
        ))}
      </div>
      <FieldProblems problems={problems} />
    </fieldset>
  );
}

function EligibleType({ card, checked, recommended }: { card: CardView; checked: boolean; recommended: boolean }) {
  const t = useT();
  return (
    <div className={checked ? 'card-type eligible chosen' : 'card-type eligible'} data-card-type={card.type} data-recommended={recommended || undefined}>
      <label>
        <input type="radio" name="cardType" value={card.type} checked={checked} onChange={() => update({ cardType: card.type })} />
        <span className="card-type-name">
          <strong>{t.key(`card${card.type}`)}</strong>
          {recommended && <span className="badge">{t('appRecommended')}</span>}
          <span className="verdict">
            {card.action ? t.key(`action${card.action}`) : t('eligible')}
            {card.monthlyPoints > 0 && ` · ${t('monthlyPoints')} ${card.monthlyPoints}`}
          </span>
        </span>
      </label>
      <details className="card-reasons">
        <summary>{t('appReasons')}</summary>
        <ul className="reasons">{card.reasons.map((reason, index) => <li key={index}><BilingualText text={reason} /></li>)}</ul>
      </details>
    </div>
  );
}
