import { useEffect, useState } from 'react';
import { App } from '../app';
import { ApplicantWindow } from './applicant-window';

/** `#applicant` is the applicant's window (a second display); anything else is the operator's kiosk. */
export function KioskRoute() {
  const [applicant, setApplicant] = useState(() => window.location.hash === '#applicant');
  useEffect(() => {
    const onHash = (): void => setApplicant(window.location.hash === '#applicant');
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return applicant ? <ApplicantWindow /> : <App />;
}
