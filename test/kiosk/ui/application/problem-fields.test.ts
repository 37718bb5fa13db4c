import { describe, expect, it } from 'vitest';
import { message, messageCodes } from '../../../../shared/contract/messages';
import { problemField, problemsByField } from '../../../../kiosk/ui/src/application/problem-fields';

describe('each application problem at its field', () => {
  it('puts every application problem code at a field of the form', () => {
    const applicationCodes = messageCodes.filter((code) => code.startsWith('application.'));
    expect(applicationCodes.length).toBeGreaterThan(5);
    for (const code of applicationCodes) expect(problemField({ code, params: {} }), code).not.toBeNull();
  });

  it('puts a failed MRZ check digit at the field it names, and a problem of no field in the summary only', () => {
    expect(problemField(message('document.mrz-check-failed', { field: 'birthDate', detail: 'x' }))).toBe('birthDate');
    expect(problemField(message('document.mrz-check-failed', { field: 'format', detail: 'x' }))).toBeNull();
    const grouped = problemsByField([message('application.enter-name'), message('application.enter-birth-date'), message('batch.document-not-resident')]);
    expect([...grouped.at.keys()]).toEqual(['name', 'birthDate']);
    expect(grouped.general).toEqual([message('batch.document-not-resident')]);
  });
});
