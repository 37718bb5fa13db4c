import { createRoot } from 'react-dom/client';
import { KioskRoute } from './applicant/kiosk-route';
import { kioskToken } from './api';
import './styles.css';

kioskToken();
createRoot(document.getElementById('root')!).render(<KioskRoute />);
