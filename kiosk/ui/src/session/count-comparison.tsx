import { useT } from '../i18n';
import { signed } from './close-session-form';
import type { SchemeComparison } from './session-commands';
import { schemeName } from './stock-words';

/** The closing count against the ledger, per scheme, with the difference (while counting, and after the close). */
export function CountComparison({ lines }: { lines: readonly SchemeComparison[] }) {
  const t = useT();
  return (
    <table data-testid="count-comparison">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">{t('closeSessionLedger')}</th>
          <th scope="col">{t('closeSessionCountedShort')}</th>
          <th scope="col">{t('closeSessionDifference')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.scheme} data-comparison-scheme={line.scheme}>
            <th scope="row">{schemeName(t.locale, line.scheme)}</th>
            <td>{line.ledger}</td>
            <td>{line.counted ?? '—'}</td>
            <td className={line.counted !== null && line.counted !== line.ledger ? 'differs' : undefined}>
              {line.counted === null ? '—' : signed(line.counted - line.ledger)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
