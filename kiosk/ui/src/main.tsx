import { createRoot } from 'react-dom/client';
import { App } from './app';
import { kioskToken } from './api';
import './styles.css';

kioskToken();
createRoot(document.getElementById('root')!).render(<App />);
