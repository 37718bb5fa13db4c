import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<h1>桃園市市民卡</h1>);
