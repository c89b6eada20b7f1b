import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import './theme.css';
import './styles.css';
import './plots/panels.css';
import './lesson/lesson.css';

createRoot(document.getElementById('root')!).render(<App />);
